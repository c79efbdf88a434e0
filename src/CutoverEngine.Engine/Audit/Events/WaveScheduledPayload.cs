namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A draft (or missed) wave was scheduled to start by itself.</summary>
public sealed record WaveScheduledPayload(DateTimeOffset? ScheduledFor, DateTimeOffset? Previous, string? Reason)
    : IJournalPayload
{
    public const string Event = "wave-scheduled";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
