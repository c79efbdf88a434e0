namespace CutoverEngine.Engine.Audit.Events;

/// <summary>An environment's customer was reminded of the wave's window before it (accepted by the relay).</summary>
public sealed record CustomerRemindedPayload(string Customer, DateTimeOffset ScheduledFor, DateTimeOffset RemindedAt)
    : IJournalPayload
{
    public const string Event = "customer-reminded";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
