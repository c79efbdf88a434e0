namespace CutoverEngine.Engine.Audit.Events;

/// <summary>The cutover's wait, before the pause, for its account's quota to serve its mutating calls.</summary>
/// <param name="BoundBy">Which quota set the slot: Route 53, EC2 mutations, BYOIP, zone slot or lead time.</param>
/// <param name="HostedZone">The zone whose batch the cutover joins; null for BYOIP.</param>
/// <param name="HeldSeconds">Of <paramref name="WaitedSeconds"/>, how long the safety caps held it (cutover-held);
/// null when they did not.</param>
public sealed record AdmissionWaitedPayload(
    DateTimeOffset ReservedAt,
    DateTimeOffset SlotAt,
    DateTimeOffset PauseAt,
    DateTimeOffset? AdmittedAt,
    double WaitedSeconds,
    double PostponedSeconds,
    string BoundBy,
    bool JoinedZoneSlot,
    string? HostedZone,
    double? HeldSeconds = null
) : IJournalPayload
{
    public const string Event = "admission-waited";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
