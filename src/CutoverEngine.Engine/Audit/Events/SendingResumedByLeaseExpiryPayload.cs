namespace CutoverEngine.Engine.Audit.Events;

/// <summary>The sending side resumed by itself because the pause's lease lapsed (neither renewed nor resumed in
/// time): the engine learnt it when it next read the sending control's status.</summary>
public sealed record SendingResumedByLeaseExpiryPayload(
    DateTimeOffset PausedAt,
    DateTimeOffset? ResumedAt,
    DateTimeOffset? LeaseExpiresAt,
    string SeenBy
) : IJournalPayload
{
    public const string Event = "resumed-by-lease-expiry";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
