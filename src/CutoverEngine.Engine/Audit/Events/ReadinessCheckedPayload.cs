using CutoverEngine.Engine.Preparation;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>An environment's readiness for its window: ready, or each reason it is not, with the figures of every
/// check (blocklists, TTLs, SPF, IAM dry runs) and the warnings.</summary>
public sealed record ReadinessCheckedPayload(
    bool Ready,
    IReadOnlyList<ReadinessReason> Reasons,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ReadinessFigure> Checks
) : IJournalPayload
{
    public const string Event = "readiness-checked";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
