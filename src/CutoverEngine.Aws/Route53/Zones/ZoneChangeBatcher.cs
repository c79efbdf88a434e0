using System.Collections.Concurrent;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Resilience;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Route53.Zones;

/// <summary>What became of one owner's changes: the change that carried them, and who else it carried.</summary>
public sealed record ZoneChangeOutcome(ChangeInfo Change, IReadOnlyList<string> BatchedWith)
{
    public bool AlreadyInPlace => Change.AlreadyInPlace;
}

/// <summary>
/// Changes to one hosted zone go out together. Route 53 takes one change per zone at a time (a second one meets
/// PriorRequestNotComplete until the first is INSYNC) and every request spends the account's 5 requests/s, so the
/// cutovers of a customer's environments, which share the zone, submit through here instead of racing each other.
/// </summary>
public interface IZoneChangeBatcher
{
    /// <summary>
    /// Announces that <paramref name="owner"/> will submit a change to the zone before <paramref name="until"/>: a batch
    /// for the zone waits for it (but not past that instant), so siblings admitted together leave in one request.
    /// </summary>
    void Expect(string account, string hostedZoneId, string owner, DateTimeOffset until);

    /// <summary>Takes back an announcement (the owner will not submit, e.g. it is rolling back).</summary>
    void Withdraw(string account, string hostedZoneId, string owner);

    /// <summary>
    /// Applies <paramref name="changes"/>, batched with other owners' changes to the zone. Changes the zone already holds
    /// (by its last read) are left out; when none remain nothing is sent. Throws
    /// <see cref="Route53InvalidChangeBatchException"/> when Route 53 refuses this owner's changes; a refusal caused by
    /// another owner's changes is not passed on (the batch is split and the rest resubmitted).
    /// </summary>
    Task<ZoneChangeOutcome> SubmitAsync(string account, string hostedZoneId, string owner, IReadOnlyList<RecordSetChange> changes,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the zone's last change is no longer PENDING as far as the batcher knows (reported INSYNC, or none),
    /// or after <paramref name="atMost"/>: a cutover whose change would have to wait for it waits here, before it pauses.
    /// </summary>
    Task WhenSettledAsync(string account, string hostedZoneId, TimeSpan atMost, CancellationToken cancellationToken = default);

    /// <summary>Tells the batcher that a change is INSYNC (seen on the zone's name servers), so the zone's next batch need not ask Route 53.</summary>
    void ReportInSync(string account, string changeId);
}

/// <inheritdoc cref="IZoneChangeBatcher"/>
/// <remarks>
/// There is no background worker: among the submitters waiting for a zone, one at a time leads (gathers the queue and
/// sends it) in its own async flow, so the request is recorded under a cutover that it carries and is cancelled with it.
/// </remarks>
public sealed class ZoneChangeBatcher(IRoute53Gateway route53, IHostedZoneRecords zones, AwsCallRunner runner, IOptions<AwsOptions> options,
    TimeProvider? time = null) : IZoneChangeBatcher
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Route53ZoneOptions _options = options.Value.Route53Zones;
    private readonly ConcurrentDictionary<(string Account, string Zone), Lane> _lanes = new();
    private readonly ConcurrentDictionary<(string Account, string ChangeId), bool> _inSync = new();

    public void Expect(string account, string hostedZoneId, string owner, DateTimeOffset until)
    {
        var lane = LaneOf(account, hostedZoneId);
        lock (lane)
        {
            lane.Expected[owner] = until;
            lane.Pulse();
        }
    }

    public void Withdraw(string account, string hostedZoneId, string owner)
    {
        var lane = LaneOf(account, hostedZoneId);
        lock (lane)
            if (lane.Expected.Remove(owner)) lane.Pulse();
    }

    public async Task WhenSettledAsync(string account, string hostedZoneId, TimeSpan atMost, CancellationToken cancellationToken = default)
    {
        var lane = LaneOf(account, hostedZoneId);
        var deadline = _time.GetUtcNow() + atMost;
        while (true)
        {
            Task wake;
            lock (lane)
            {
                if (lane.Pending?.Id is not { } id || _inSync.ContainsKey((lane.Account, ShortId(id)))) return;
                wake = lane.Changed.Task;
            }
            var left = deadline - _time.GetUtcNow();
            if (left <= TimeSpan.Zero) return;
            await Task.WhenAny(wake, Task.Delay(left, _time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public void ReportInSync(string account, string changeId)
    {
        var id = ShortId(changeId);
        _inSync[(account, id)] = true;
        foreach (var lane in _lanes.Values.Where(l => l.Account == account))
            lock (lane)
                if (lane.Pending?.Id is { } p && ShortId(p) == id) lane.Pulse();
    }

    public async Task<ZoneChangeOutcome> SubmitAsync(string account, string hostedZoneId, string owner, IReadOnlyList<RecordSetChange> changes,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        new ChangeBatch(changes).EnsureWithinLimits();
        var lane = LaneOf(account, hostedZoneId);
        var entry = new Entry(owner, changes);
        lock (lane)
        {
            lane.Queue.Add(entry);
            lane.Expected.Remove(owner);
            lane.Pulse();
        }
        using var _ = cancellationToken.Register(() => entry.Abandon(cancellationToken));
        while (!entry.Result.Task.IsCompleted)
        {
            bool lead;
            Task wake;
            lock (lane)
            {
                lead = !lane.Leading;
                if (lead) lane.Leading = true;
                wake = lane.Changed.Task;
            }
            if (!lead)
            {
                await Task.WhenAny(entry.Result.Task, wake).ConfigureAwait(false);
                continue;
            }
            try
            {
                await LeadAsync(lane, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // This submitter gave up; whoever still waits takes the lead.
            }
            finally
            {
                lock (lane)
                {
                    lane.Leading = false;
                    lane.Pulse();
                }
            }
        }
        return await entry.Result.Task.ConfigureAwait(false);
    }

    /// <summary>Waits until the zone can take a change and the announced siblings are in, then sends what is queued.</summary>
    private async Task LeadAsync(Lane lane, CancellationToken ct)
    {
        await SettleAsync(lane, ct).ConfigureAwait(false);
        await GatherAsync(lane, ct).ConfigureAwait(false);
        List<Entry> batch;
        lock (lane)
        {
            lane.Queue.RemoveAll(e => e.Result.Task.IsCompleted);
            batch = TakeBatch(lane.Queue);
        }
        if (batch.Count == 0) return;
        using (AwsCallPriority.Urgent())
            await SendAsync(lane, batch, ct).ConfigureAwait(false);
    }

    /// <summary>While the zone's previous change is PENDING, a new one would be refused: wait for INSYNC, reported or asked.</summary>
    private async Task SettleAsync(Lane lane, CancellationToken ct)
    {
        while (true)
        {
            ChangeInfo? pending;
            DateTimeOffset nextPoll;
            Task wake;
            lock (lane)
            {
                pending = lane.Pending;
                if (pending?.Id is not { } id) return;
                if (_inSync.ContainsKey((lane.Account, ShortId(id))))
                {
                    lane.Pending = null;
                    return;
                }
                nextPoll = (lane.PolledAt ?? lane.PendingSince) + _options.SettlePollInterval;
                wake = lane.Changed.Task;
            }
            // Someone watching the zone's name servers usually reports INSYNC first; Route 53 is asked only at the poll interval.
            var wait = nextPoll - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.WhenAny(wake, Task.Delay(wait, _time, ct)).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                continue;
            }
            lock (lane) lane.PolledAt = _time.GetUtcNow();
            var status = await route53.GetChangeAsync(lane.Account, pending.Id, ct).ConfigureAwait(false);
            if (status.Status == ChangeStatus.InSync) _inSync[(lane.Account, ShortId(pending.Id))] = true;
        }
    }

    /// <summary>Waits for announced owners (until their deadline), then for the gather window.</summary>
    private async Task GatherAsync(Lane lane, CancellationToken ct)
    {
        while (true)
        {
            Task wake;
            TimeSpan wait;
            lock (lane)
            {
                var now = _time.GetUtcNow();
                foreach (var (owner, _) in lane.Expected.Where(e => e.Value <= now).ToList()) lane.Expected.Remove(owner);
                if (lane.Expected.Count == 0) break;
                wait = lane.Expected.Values.Min() - now;
                wake = lane.Changed.Task;
            }
            await Task.WhenAny(wake, Task.Delay(wait, _time, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
        if (_options.GatherWindow > TimeSpan.Zero)
            await Task.Delay(_options.GatherWindow, _time, ct).ConfigureAwait(false);
    }

    /// <summary>As many queued owners as one request may carry; an owner touching a set an earlier one touches waits for the next batch.</summary>
    private static List<Entry> TakeBatch(List<Entry> queue)
    {
        var batch = new List<Entry>();
        var touched = new List<ResourceRecordSet>();
        var records = 0;
        var characters = 0;
        foreach (var entry in queue)
        {
            var r = entry.Changes.Sum(c => c.RecordSet.Values.Count * (c.Action == ChangeAction.Upsert ? 2 : 1));
            var ch = entry.Changes.Sum(c => c.RecordSet.Values.Sum(v => v.Length) * (c.Action == ChangeAction.Upsert ? 2 : 1));
            if (batch.Count > 0 && (records + r > ChangeBatch.MaxResourceRecords || characters + ch > ChangeBatch.MaxValueCharacters)) break;
            if (entry.Changes.Any(c => touched.Any(t => t.IsSameSetAs(c.RecordSet)))) continue;
            batch.Add(entry);
            touched.AddRange(entry.Changes.Select(c => c.RecordSet));
            records += r;
            characters += ch;
        }
        return batch;
    }

    private async Task SendAsync(Lane lane, List<Entry> batch, CancellationToken ct)
    {
        // Idempotence: what the zone already holds (by its last read, refreshed by this process's own changes) is not sent
        // again. A replay after a crash finds no read in memory, reads the zone once, and sends nothing it already holds.
        // A read of any age is good enough here: if it is stale, the worst case is an UPSERT of values already live, which
        // Route 53 applies as a no-op.
        ZoneRecords live;
        try
        {
            live = await zones.ReadAsync(lane.Account, lane.Zone, TimeSpan.MaxValue, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (var entry in batch) entry.Result.TrySetException(e);
            return;
        }
        var toSend = new List<Entry>();
        foreach (var entry in batch)
        {
            if (entry.Changes.All(live.IsLive))
            {
                runner.RecordAlreadyInPlace(AwsOperations.ChangeResourceRecordSets, lane.Account,
                    $"zone {lane.Zone}: all {entry.Changes.Count} change(s) of {entry.Owner} already live, nothing sent: {string.Join("; ", entry.Changes)}");
                Complete(lane, entry, new ChangeInfo(null, ChangeStatus.InSync, _time.GetUtcNow()) { AlreadyInPlace = true, AlreadyLive = entry.Changes }, []);
            }
            else toSend.Add(entry);
        }
        while (toSend.Count > 0)
        {
            var owners = toSend.Select(e => e.Owner).ToList();
            var comment = Comment(owners);
            try
            {
                var changes = toSend.SelectMany(e => e.Changes).ToList();
                var info = await route53.SubmitChangeBatchAsync(lane.Account, lane.Zone, new ChangeBatch(changes, comment), ct).ConfigureAwait(false);
                zones.Applied(lane.Account, lane.Zone, changes);
                lock (lane)
                {
                    lane.Pending = info.Status == ChangeStatus.Pending ? info : null;
                    lane.PendingSince = _time.GetUtcNow();
                    lane.PolledAt = null;
                }
                foreach (var entry in toSend) Complete(lane, entry, info, owners);
                return;
            }
            catch (Route53InvalidChangeBatchException refused) when (toSend.Count > 1)
            {
                // All or nothing: nothing was applied. Fail the owners the refusal names and send the others again;
                // when it names nobody recognisably, the first half goes on its own and the rest waits for the next batch.
                var blamed = toSend.Where(e => Names(e, refused.Messages)).ToList();
                foreach (var entry in blamed) entry.Result.TrySetException(refused);
                toSend = blamed.Count > 0 ? [.. toSend.Except(blamed)] : [.. toSend.Take(toSend.Count / 2)];
            }
            catch (Route53InvalidChangeBatchException refused)
            {
                toSend[0].Result.TrySetException(refused);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The request failed for good (its retries are spent): it failed for every owner it carried.
                foreach (var entry in toSend) entry.Result.TrySetException(e);
                return;
            }
        }
    }

    private void Complete(Lane lane, Entry entry, ChangeInfo info, IReadOnlyList<string> owners)
    {
        entry.Result.TrySetResult(new ZoneChangeOutcome(info, [.. owners.Where(o => o != entry.Owner)]));
        lock (lane) lane.Queue.Remove(entry);
    }

    /// <summary>Whether a refusal's messages name one of the entry's record sets (by name) or values.</summary>
    private static bool Names(Entry entry, IReadOnlyList<string> messages) =>
        entry.Changes.Any(c => messages.Any(m =>
            m.Contains(DnsNames.Normalize(c.RecordSet.Name), StringComparison.OrdinalIgnoreCase)
            || m.Contains(DnsNames.Normalize(c.RecordSet.Name).TrimEnd('.') + " ", StringComparison.OrdinalIgnoreCase)
            || c.RecordSet.Values.Any(v => m.Contains($"'{v}'", StringComparison.Ordinal))));

    // Route 53 allows 256 characters of comment.
    private static string Comment(IReadOnlyList<string> owners)
    {
        var text = owners.Count == 1 ? $"cutover {owners[0]}" : $"cutovers {string.Join(", ", owners)}";
        return text.Length <= 256 ? text : text[..240] + $" (+{owners.Count} in all)";
    }

    private Lane LaneOf(string account, string hostedZoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var zone = Route53Gateway.ZoneId(hostedZoneId);
        return _lanes.GetOrAdd((account, zone), k => new Lane(k.Account, k.Zone));
    }

    private static string ShortId(string changeId) => changeId.StartsWith("/change/", StringComparison.Ordinal) ? changeId["/change/".Length..] : changeId;

    private sealed class Lane(string account, string zone)
    {
        public string Account { get; } = account;
        public string Zone { get; } = zone;
        public List<Entry> Queue { get; } = [];
        public Dictionary<string, DateTimeOffset> Expected { get; } = new(StringComparer.Ordinal);
        public bool Leading { get; set; }
        /// <summary>The zone's last change while it may still be PENDING.</summary>
        public ChangeInfo? Pending { get; set; }
        public DateTimeOffset PendingSince { get; set; }
        public DateTimeOffset? PolledAt { get; set; }
        public TaskCompletionSource Changed { get; private set; } = NewSignal();

        /// <summary>Wakes everyone waiting on the lane (call under its lock).</summary>
        public void Pulse()
        {
            var old = Changed;
            Changed = NewSignal();
            old.TrySetResult();
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Entry(string owner, IReadOnlyList<RecordSetChange> changes)
    {
        public string Owner { get; } = owner;
        public IReadOnlyList<RecordSetChange> Changes { get; } = changes;
        public TaskCompletionSource<ZoneChangeOutcome> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Abandon(CancellationToken token) => Result.TrySetCanceled(token);
    }
}
