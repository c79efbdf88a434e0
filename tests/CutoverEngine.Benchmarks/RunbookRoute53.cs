using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Benchmarks;

/// <summary>
/// The Route 53 calls of a hand-scripted cutover, on the engine's gateway: look up the sets a batch touches and
/// leave out what is live (one ListResourceRecordSets per set up to <see cref="MaxSingleLookups"/>, else one listing
/// of the zone), UPSERT the rest, then poll GetChange until INSYNC. The engine batches per zone instead
/// (<c>ZoneChangeBatcher</c>); the runbook keeps the script's shape so the comparison is the one README reports.
/// </summary>
public static class RunbookRoute53
{
    // Up to this many changes, each set is looked up on its own; beyond it, one listing of the zone costs less.
    const int MaxSingleLookups = 5;

    /// <summary>Sends what of <paramref name="batch"/> is not live yet; null when everything already is.</summary>
    public static async Task<ChangeInfo?> ChangeRecordSetsAsync(
        this IRoute53Gateway route53,
        string account,
        string hostedZoneId,
        ChangeBatch batch,
        CancellationToken ct
    )
    {
        IReadOnlyList<ResourceRecordSet> live;
        if (batch.Changes.Count <= MaxSingleLookups)
        {
            var found = new List<ResourceRecordSet>();
            var sets = batch
                .Changes.Select(c => c.RecordSet)
                .DistinctBy(s => (DnsNames.Normalize(s.Name), s.Type.ToUpperInvariant()));
            foreach (var wanted in sets)
                if (await route53.FindRecordSetAsync(account, hostedZoneId, wanted.Name, wanted.Type, ct) is { } set)
                    found.Add(set);
            live = found;
        }
        else
        {
            live = await route53.ListRecordSetsAsync(account, hostedZoneId, ct);
        }
        var toSend = batch.Changes.Where(c => !c.IsSatisfiedBy(live)).ToList();
        return toSend.Count == 0
            ? null
            : await route53.SubmitChangeBatchAsync(account, hostedZoneId, batch with { Changes = toSend }, ct);
    }

    /// <summary>Polls GetChange every <paramref name="poll"/> until INSYNC, at most <paramref name="limit"/>.</summary>
    public static async Task WaitForInSyncAsync(
        this IRoute53Gateway route53,
        string account,
        ChangeInfo? change,
        TimeSpan poll,
        TimeSpan limit,
        CancellationToken ct
    )
    {
        if (change?.Id is not { } id || change.Status == ChangeStatus.InSync)
            return;
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            await Task.Delay(poll, ct);
            var current = await route53.GetChangeAsync(account, id, ct);
            if (current.Status == ChangeStatus.InSync)
                return;
            if (TimeProvider.System.GetElapsedTime(started) >= limit)
                throw new TimeoutException(
                    $"Route 53 change {id} in account {account} was still {current.Status} after {limit}."
                );
        }
    }
}
