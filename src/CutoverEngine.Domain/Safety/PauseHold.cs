namespace CutoverEngine.Domain.Safety;

/// <summary>Why a cutover may not pause yet: the cap it would break, its limit and who holds the slots.</summary>
/// <param name="Cap">The setting that caps it, e.g. <c>Safety:MaxPausedEnvironments</c>.</param>
/// <param name="Scope">What the cap counts within: the customer, the account, or null for the fleet.</param>
/// <param name="HeldBy">The environments paused (or about to pause) that fill the cap.</param>
public sealed record PauseHold(string Cap, int Limit, string? Scope, IReadOnlyList<string> HeldBy)
{
    /// <summary>The reason a hold is journaled once for: the cap and its scope (the holders may change while the
    /// same cap keeps holding).</summary>
    public string Reason => ReasonOf(Cap, Scope);

    /// <summary>The reason as journals and reports name it: the cap, and its scope in brackets.</summary>
    public static string ReasonOf(string cap, string? scope) => scope is null ? cap : $"{cap} ({scope})";
}
