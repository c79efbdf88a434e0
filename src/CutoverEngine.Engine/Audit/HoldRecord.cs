namespace CutoverEngine.Engine.Audit;

/// <summary>A safety cap held the cutover back from pausing (cutover-held): from <paramref name="HeldSince"/>, still
/// sending.</summary>
public sealed record HoldRecord(
    DateTimeOffset At,
    DateTimeOffset HeldSince,
    string Cap,
    int? Limit,
    string? Within,
    IReadOnlyList<string> HeldBy
)
{
    public string Reason => Domain.Safety.PauseHold.ReasonOf(Cap, Within);
}
