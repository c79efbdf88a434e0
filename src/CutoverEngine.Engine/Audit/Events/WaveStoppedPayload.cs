namespace CutoverEngine.Engine.Audit.Events;

/// <summary>No new cutover of the wave starts; the ones in flight finish or roll back.</summary>
public sealed record WaveStoppedPayload(string Reason) : IJournalPayload
{
    public const string Event = "wave-stopped";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
