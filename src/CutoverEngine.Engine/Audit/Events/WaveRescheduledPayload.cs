namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// A scheduled wave was moved to another time (customers were told another time, so a reason is required).
/// </summary>
public sealed record WaveRescheduledPayload(DateTimeOffset? ScheduledFor, DateTimeOffset? Previous, string? Reason)
    : IJournalPayload
{
    public const string Event = "wave-rescheduled";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
