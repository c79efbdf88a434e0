namespace CutoverEngine.Engine.Audit.Events;

/// <summary>An environment was taken out of one wave into another (`wave move`), at its customer's request.</summary>
/// <param name="Reason">The customer's reason.</param>
/// <param name="ScheduledFor">The target wave's start, if it is scheduled.</param>
public sealed record EnvironmentMovedPayload(string From, string To, string Reason, DateTimeOffset? ScheduledFor)
    : IJournalPayload
{
    public const string Event = "environment-moved";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
