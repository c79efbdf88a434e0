namespace CutoverEngine.Engine.Audit.Events;

/// <summary>Every cutover of the wave finished.</summary>
/// <param name="Cutovers">Environment id to its outcome's wire name.</param>
public sealed record WaveCompletedPayload(IReadOnlyDictionary<string, string?> Cutovers) : IJournalPayload
{
    public const string Event = "wave-completed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
