namespace CutoverEngine.Aws.Route53;

/// <summary>
/// Route 53 as the cutover needs it: repoint record sets, follow a change to INSYNC, read what a zone holds.
/// Every call is rate limited per account, retried on transient faults and recorded attempt by attempt.
/// </summary>
public interface IRoute53Gateway
{
    /// <summary>
    /// Applies <paramref name="batch"/> to the zone, leaving out changes that are already live (an UPSERT or CREATE whose
    /// set already holds those values and TTL, a DELETE of a set that is gone). When none remain, nothing is sent and the
    /// result says <see cref="ChangeInfo.AlreadyInPlace"/>. Throws <see cref="Route53InvalidChangeBatchException"/>
    /// when Route 53 refuses the batch.
    /// </summary>
    Task<ChangeInfo> ChangeRecordSetsAsync(string account, string hostedZoneId, ChangeBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="batch"/> as it is, without first reading what is live: for callers that know the zone's
    /// state already (see <see cref="Zones.ZoneChangeBatcher"/>), since an UPSERT of values already live is harmless.
    /// </summary>
    Task<ChangeInfo> SubmitChangeBatchAsync(string account, string hostedZoneId, ChangeBatch batch, CancellationToken cancellationToken = default);

    /// <summary>The status of a change (PENDING until it has reached all Route 53 name servers, then INSYNC).</summary>
    Task<ChangeInfo> GetChangeAsync(string account, string changeId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Polls GetChange until the change is INSYNC. Polls draw on the account's Route 53 quota like every other call, so
    /// keep <paramref name="pollInterval"/> (default 2 s) well above 200 ms. Fails with <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/> (default 5 min; AWS says changes normally reach INSYNC within 60 s).
    /// A no-op change (<see cref="ChangeInfo.AlreadyInPlace"/>) is returned at once.
    /// </summary>
    Task<ChangeInfo> WaitForInSyncAsync(string account, ChangeInfo change, TimeSpan? pollInterval = null, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default);

    /// <summary>Every record set in the zone, all pages.</summary>
    Task<IReadOnlyList<ResourceRecordSet>> ListRecordSetsAsync(string account, string hostedZoneId, CancellationToken cancellationToken = default);

    /// <summary>The simple-routing record set with this name and type, or null.</summary>
    Task<ResourceRecordSet?> FindRecordSetAsync(string account, string hostedZoneId, string name, string type, CancellationToken cancellationToken = default);

    /// <summary>
    /// The hosted zone named <paramref name="zoneName"/> (e.g. <c>acme-mail.example</c>), or null. When a public and a
    /// private zone share the name, the public one; when several public zones do, an error naming them.
    /// </summary>
    Task<HostedZone?> FindHostedZoneAsync(string account, string zoneName, CancellationToken cancellationToken = default);
}
