namespace CutoverEngine.Aws.Route53.Zones;

/// <summary>
/// One read of a hosted zone serves every cutover in it: the cutovers of a customer's environments share the zone,
/// and a wave starts them together. Readers at the same moment share one ListResourceRecordSets (single flight).
/// </summary>
public interface IHostedZoneRecords
{
    /// <summary>The zone's records read at most <paramref name="maxAge"/> ago (default <see
    /// cref="Route53ZoneOptions.ReadMaxAge"/>).</summary>
    Task<ZoneRecords> ReadAsync(
        string account,
        string hostedZoneId,
        TimeSpan? maxAge = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>Folds an accepted change batch into the zone's last read, so the next reader sees it without reading
    /// again.</summary>
    void Applied(string account, string hostedZoneId, IEnumerable<RecordSetChange> changes);
}
