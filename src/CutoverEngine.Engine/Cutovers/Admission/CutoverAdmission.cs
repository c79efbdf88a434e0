namespace CutoverEngine.Engine.Cutovers.Admission;

/// <summary>The quota a cutover will spend while its customer is paused, asked for before it pauses.</summary>
/// <param name="HostedZoneId">The zone whose records it changes, or null when it changes none (BYOIP).</param>
/// <param name="Route53Changes">ChangeResourceRecordSets requests (shared by every cutover of one zone slot).</param>
/// <param name="Ec2Mutations">EC2 mutating calls (associate, reverse DNS), per host.</param>
/// <param name="ByoipAdvertisements">AdvertiseByoipCidr calls (one per 10 s per account at AWS).</param>
public sealed record AdmissionRequest(
    string Owner,
    string Account,
    string? HostedZoneId,
    int Route53Changes,
    int Ec2Mutations,
    int ByoipAdvertisements
);

/// <summary>
/// When a cutover may start its mutating calls: <see cref="SlotAt"/>. It pauses at <see cref="PauseAt"/> (the slot less
/// the lead time), so the wait for the account's quota happens while the customer still sends.
/// </summary>
public sealed record AdmissionSlot(
    DateTimeOffset ReservedAt,
    DateTimeOffset SlotAt,
    DateTimeOffset PauseAt,
    bool JoinedZoneSlot,
    string Bound
)
{
    public TimeSpan Wait => PauseAt - ReservedAt;
}
