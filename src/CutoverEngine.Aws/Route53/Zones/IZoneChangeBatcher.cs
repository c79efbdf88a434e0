namespace CutoverEngine.Aws.Route53.Zones;

/// <summary>
/// Changes to one hosted zone go out together. Route 53 takes one change per zone at a time (a second one meets
/// PriorRequestNotComplete until the first is INSYNC) and every request spends the account's 5 requests/s, so the
/// cutovers of a customer's environments, which share the zone, submit through here instead of racing each other.
/// </summary>
public interface IZoneChangeBatcher
{
    /// <summary>
    /// Announces that <paramref name="owner"/> will submit a change to the zone before <paramref name="until"/>: a
    /// batch
    /// for the zone waits for it (but not past that instant), so siblings admitted together leave in one request.
    /// </summary>
    void Expect(string account, string hostedZoneId, string owner, DateTimeOffset until);

    /// <summary>Takes back an announcement (the owner will not submit, e.g. it is rolling back).</summary>
    void Withdraw(string account, string hostedZoneId, string owner);

    /// <summary>
    /// Applies <paramref name="changes"/>, batched with other owners' changes to the zone. Changes the zone already
    /// holds
    /// (by its last read) are left out; when none remain nothing is sent. Throws
    /// <see cref="Route53InvalidChangeBatchException"/> when Route 53 refuses this owner's changes; a refusal caused by
    /// another owner's changes is not passed on (the batch is split and the rest resubmitted).
    /// </summary>
    Task<ZoneChangeOutcome> SubmitAsync(
        string account,
        string hostedZoneId,
        string owner,
        IReadOnlyList<RecordSetChange> changes,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Completes when the zone's last change is no longer PENDING as far as the batcher knows (reported INSYNC, or
    /// none),
    /// or after <paramref name="atMost"/>: a cutover whose change would have to wait for it waits here, before it
    /// pauses.
    /// </summary>
    Task WhenSettledAsync(
        string account,
        string hostedZoneId,
        TimeSpan atMost,
        CancellationToken cancellationToken = default
    );

    /// <summary>Tells the batcher that a change is INSYNC (seen on the zone's name servers), so the zone's next batch
    /// need not ask Route 53.</summary>
    void ReportInSync(string account, string changeId);
}
