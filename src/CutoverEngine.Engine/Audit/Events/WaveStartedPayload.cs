using System.Text.Json.Serialization;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A wave started: by an engineer now, or by its schedule.</summary>
/// <param name="ScheduledFor">The time its schedule named; absent when an engineer started it.</param>
public sealed record WaveStartedPayload(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? ScheduledFor,
    DateTimeOffset StartedAt
) : IJournalPayload
{
    public const string Event = "wave-started";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
