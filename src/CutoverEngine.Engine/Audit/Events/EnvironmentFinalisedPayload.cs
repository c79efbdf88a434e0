using CutoverEngine.Engine.Finalisation;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// A completed cutover finalised after its soak: each TTL prepare lowered put back, the SPF record without the old
/// addresses (what was removed and what stays, with why), for BYOIP who announces the range, for Elastic IPs the old
/// addresses now unused. From this entry on the cutover cannot be reverted.
/// </summary>
/// <param name="Cutover">The finalised cutover's workflow instance.</param>
/// <param name="EarlyReason">Why it was finalised before its soak was over; null when the soak was over.</param>
public sealed record EnvironmentFinalisedPayload(
    string Cutover,
    IReadOnlyList<TtlRestore> Ttls,
    SpfCleanUp Spf,
    RangeConfirmation? Range,
    IReadOnlyList<OldAddress> OldAddresses,
    string? EarlyReason
) : IJournalPayload
{
    public const string Event = "environment-finalised";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
