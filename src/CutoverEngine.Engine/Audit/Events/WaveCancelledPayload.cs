namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A wave was cancelled.</summary>
/// <param name="Was">The state it was cancelled from.</param>
public sealed record WaveCancelledPayload(string Reason, string Was) : IJournalPayload
{
    public const string Event = "wave-cancelled";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
