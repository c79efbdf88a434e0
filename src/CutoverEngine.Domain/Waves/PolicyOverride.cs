namespace CutoverEngine.Domain.Waves;

/// <summary>An engineer's decision to go ahead despite the listed violations; kept for audit.</summary>
public sealed record PolicyOverride(string Reason, string Actor, DateTimeOffset At)
{
    public static PolicyOverride Create(string? reason, string actor, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException(
                "An override of the wave policy needs a reason (--override-reason).",
                nameof(reason)
            );
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        return new(reason.Trim(), actor, at);
    }
}
