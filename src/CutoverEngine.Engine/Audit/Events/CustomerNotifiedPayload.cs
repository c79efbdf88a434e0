namespace CutoverEngine.Engine.Audit.Events;

/// <summary>An environment's customer was told of the wave (the notice rendered to a file, or sent).</summary>
public sealed record CustomerNotifiedPayload(string Customer, DateTimeOffset NotifiedAt, string? File, bool Sent)
    : IJournalPayload
{
    public const string Event = "customer-notified";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
