using CutoverEngine.Engine.Preparation;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>Prepare changed (or found in place) an environment's records before its window: each TTL with the
/// original remembered, and the SPF record before and after with the mechanisms added, or why it was
/// refused.</summary>
public sealed record EnvironmentPreparedPayload(IReadOnlyList<TtlLowering> Ttls, SpfPreparation Spf) : IJournalPayload
{
    public const string Event = "environment-prepared";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
