namespace CutoverEngine.Engine.Cutovers.BlastRadius;

/// <summary>A change no cutover of the wave intended: a record set (<c>record</c>) or an address association
/// (<c>address</c>), with what it was at the snapshot and what it is after the cutover.</summary>
public sealed record OutsideChange(string Kind, string Subject, string Before, string After)
{
    public const string Record = "record";
    public const string Address = "address";
}
