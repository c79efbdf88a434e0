namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A wave was drafted.</summary>
/// <param name="Order">The wave order's wire name.</param>
public sealed record WaveCreatedPayload(
    IReadOnlyList<string> Environments,
    DateTimeOffset PlannedStart,
    int Parallel,
    string Order
) : IJournalPayload
{
    public const string Event = "wave-created";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
