using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>The scheduler did not start a wave at its time because environments were not prepared and ready;
/// the wave is marked missed (reschedule, drop them, or start it by hand with an override reason).</summary>
public sealed record WaveStartRefusedPayload(DateTimeOffset? ScheduledFor, IReadOnlyList<PolicyViolation> Violations)
    : IJournalPayload
{
    public const string Event = "wave-start-refused";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
