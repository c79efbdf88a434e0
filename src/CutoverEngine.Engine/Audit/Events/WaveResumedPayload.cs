namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A stopped wave goes on starting its cutovers.</summary>
public sealed record WaveResumedPayload : IJournalPayload
{
    public const string Event = "wave-resumed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
