namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// A scheduled wave fell due but may not start yet (approvals missing, a change freeze): the scheduler keeps trying
/// within the grace period. The kind is defined here as the hook point webhooks and history read; the admission
/// rules that write it (approvals, freezes: issue #14 parts 1 and 2) fill <paramref name="Missing"/>.
/// </summary>
/// <param name="Missing">What stops the start, one line each (e.g. "1 more production approval").</param>
public sealed record WaveBlockedPayload(
    DateTimeOffset? ScheduledFor,
    DateTimeOffset BlockedAt,
    IReadOnlyList<string> Missing
) : IJournalPayload
{
    public const string Event = "wave-blocked";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
