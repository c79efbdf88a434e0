namespace CutoverEngine.Aws.Route53;

/// <summary>
/// Route 53 as the cutover needs it: send a change batch, ask for a change's status, read what a zone holds.
/// Changes go through <see cref="Zones.IZoneChangeBatcher"/>, which leaves out what the zone already holds.
/// Every call is rate limited per account, retried on transient faults and recorded attempt by attempt.
/// </summary>
public interface IRoute53Gateway
{
    /// <summary>
    /// Sends <paramref name="batch"/> as it is, without first reading what is live: for callers that know the zone's
    /// state already (see <see cref="Zones.ZoneChangeBatcher"/>), since an UPSERT of values already live is harmless.
    /// </summary>
    Task<ChangeInfo> SubmitChangeBatchAsync(
        string account,
        string hostedZoneId,
        ChangeBatch batch,
        CancellationToken cancellationToken = default
    );

    /// <summary>The status of a change (PENDING until it has reached all Route 53 name servers, then INSYNC).</summary>
    Task<ChangeInfo> GetChangeAsync(string account, string changeId, CancellationToken cancellationToken = default);

    /// <summary>Every record set in the zone, all pages.</summary>
    Task<IReadOnlyList<ResourceRecordSet>> ListRecordSetsAsync(
        string account,
        string hostedZoneId,
        CancellationToken cancellationToken = default
    );

    /// <summary>The simple-routing record set with this name and type, or null.</summary>
    Task<ResourceRecordSet?> FindRecordSetAsync(
        string account,
        string hostedZoneId,
        string name,
        string type,
        CancellationToken cancellationToken = default
    );
}
