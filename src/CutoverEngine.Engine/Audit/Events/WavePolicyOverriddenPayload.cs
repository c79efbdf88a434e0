using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>An engineer went ahead despite the notice or staging-first policy, saying why.</summary>
/// <param name="Operation">schedule, reschedule or start.</param>
public sealed record WavePolicyOverriddenPayload(
    string Operation,
    string Reason,
    DateTimeOffset Start,
    IReadOnlyList<PolicyViolation> Violations
) : IJournalPayload
{
    public const string Event = "wave-policy-overridden";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
