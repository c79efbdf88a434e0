using System.Collections.Concurrent;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Resilience;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Route53.Zones;

/// <inheritdoc cref="IZoneChangeBatcher"/>
/// <remarks>
/// <para>One lane per zone (<see cref="ZoneLane"/>): callers post to the lane's channel and one consumer loop per
/// lane owns the zone's state, waits for the zone to settle and for announced siblings, and sends. The requests it
/// makes for a batch run in the execution context of an owner the batch carries, so they are recorded under that
/// cutover; they are cancelled when an owner they carry gives up (and made again for the others).</para>
/// <para>A lane is retired, and its state dropped, once the zone is idle: nothing queued, announced or waited for,
/// and its last change seen INSYNC (or older than <see cref="Route53ZoneOptions.PendingChangeMemory"/>).</para>
/// <para>Shutdown: <see cref="DisposeAsync"/> (or <see cref="Dispose"/>, which does not wait) stops every lane,
/// cancels the requests in flight and cancels the submitters and settle waiters still waiting. Afterwards
/// <see cref="SubmitAsync"/> and <see cref="WhenSettledAsync"/> throw <see cref="ObjectDisposedException"/>;
/// <see cref="Expect"/>, <see cref="Withdraw"/> and <see cref="ReportInSync"/> do nothing.</para>
/// </remarks>
public sealed class ZoneChangeBatcher(
    IRoute53Gateway route53,
    IHostedZoneRecords zones,
    AwsCallRunner runner,
    IOptions<AwsOptions> options,
    TimeProvider? time = null
) : IZoneChangeBatcher, IAsyncDisposable, IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Route53ZoneOptions _options = options.Value.Route53Zones;

    // Any thread: producers add lanes, each lane's consumer removes its own when it retires.
    private readonly ConcurrentDictionary<(string Account, string Zone), ZoneLane> _lanes = new();

    // Written by lane consumers (a change became PENDING, was settled or forgotten), read by ReportInSync.
    private readonly ConcurrentDictionary<(string Account, string ChangeId), ZoneLane> _pendingChanges = new();

    // Cancelled once, by Dispose/DisposeAsync; never disposed, since consumers read its token until they end.
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>How many zones the batcher holds state for (a test's window on pruning).</summary>
    internal int ZonesHeld => _lanes.Count;

    /// <summary>How many PENDING changes the batcher remembers for ReportInSync.</summary>
    internal int PendingChangesHeld => _pendingChanges.Count;

    public void Expect(string account, string hostedZoneId, string owner, DateTimeOffset until) =>
        Post(account, hostedZoneId, new ZoneLaneMessage.Expect(owner, until), create: true);

    public void Withdraw(string account, string hostedZoneId, string owner) =>
        Post(account, hostedZoneId, new ZoneLaneMessage.Withdraw(owner), create: false);

    public void ReportInSync(string account, string changeId)
    {
        var id = ShortId(changeId);
        if (_pendingChanges.TryGetValue((account, id), out var lane))
            lane.TryPost(new ZoneLaneMessage.InSync(id), StartConsumer);
    }

    public async Task WhenSettledAsync(
        string account,
        string hostedZoneId,
        TimeSpan atMost,
        CancellationToken cancellationToken = default
    )
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        // No lane, or no PENDING change in it: settled as far as the batcher knows, without a trip through the lane.
        if (
            !_lanes.TryGetValue((account, Route53Gateway.ZoneId(hostedZoneId)), out var known)
            || known.PendingChangeId is null
        )
            return;
        var waiter = new SettleWaiter(_time.GetUtcNow() + atMost);
        if (Post(account, hostedZoneId, new ZoneLaneMessage.AwaitSettled(waiter), create: false) is null)
            return;
        try
        {
            await waiter.Done.Task.WaitAsync(atMost, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Waited as long as the caller allows; the lane drops the waiter at the same instant.
        }
    }

    public async Task<ZoneChangeOutcome> SubmitAsync(
        string account,
        string hostedZoneId,
        string owner,
        IReadOnlyList<RecordSetChange> changes,
        CancellationToken cancellationToken = default
    )
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        new ChangeBatch(changes).EnsureWithinLimits();
        cancellationToken.ThrowIfCancellationRequested();
        var entry = new ZoneChangeEntry(owner, changes, ExecutionContext.Capture(), cancellationToken);
        var lane =
            Post(account, hostedZoneId, new ZoneLaneMessage.Submit(entry), create: true)
            ?? throw new ObjectDisposedException(nameof(ZoneChangeBatcher));
        using var _ = cancellationToken.Register(() =>
        {
            if (entry.Result.TrySetCanceled(cancellationToken))
                lane.TryPost(new ZoneLaneMessage.Wake(), StartConsumer);
        });
        return await entry.Result.Task.ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var consumers = _lanes.Values.Select(l => l.Consumer).OfType<Task>().ToList();
        await Task.WhenAll(consumers).ConfigureAwait(false);
    }

    /// <summary>Posts to the zone's lane (a fresh one if it retired meanwhile); null once stopping.</summary>
    private ZoneLane? Post(string account, string hostedZoneId, ZoneLaneMessage message, bool create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var key = (account, Route53Gateway.ZoneId(hostedZoneId));
        while (!_stopping.IsCancellationRequested)
        {
            ZoneLane? lane;
            if (create)
                lane = _lanes.GetOrAdd(key, k => new ZoneLane(k.Account, k.Zone));
            else if (!_lanes.TryGetValue(key, out lane))
                return null;
            if (lane.TryPost(message, StartConsumer))
                return lane;
            // That lane retired between the lookup and the post; it has left the map, so look again.
        }
        return null;
    }

    private Task StartConsumer(ZoneLane lane)
    {
        // The consumer must not inherit the first poster's context (its cutover's labels) for its whole life.
        using (ExecutionContext.SuppressFlow())
            return Task.Run(() => ConsumeAsync(lane));
    }

    private async Task ConsumeAsync(ZoneLane lane)
    {
        Exception? fault = null;
        try
        {
            while (true)
            {
                Apply(lane);
                if (lane.HasWaitingSubmitters)
                {
                    await RoundAsync(lane).ConfigureAwait(false);
                    continue;
                }
                var now = _time.GetUtcNow();
                if (IsIdle(lane, now) && lane.TryRetire(force: false, Forget))
                    return;
                await WaitAsync(lane, NextDeadline(lane)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutdown: below, everyone still waiting is cancelled.
        }
        catch (Exception e)
        {
            fault = e; // a defect here must not leave submitters waiting forever: they get it
        }
        lane.TryRetire(force: true, Forget);
        Apply(lane);
        foreach (var entry in lane.Queue)
            if (fault is null)
                entry.Result.TrySetCanceled(_stopping.Token);
            else
                entry.Result.TrySetException(fault);
        foreach (var waiter in lane.SettleWaiters)
            if (fault is null)
                waiter.Done.TrySetCanceled(_stopping.Token);
            else
                waiter.Done.TrySetException(fault);
    }

    /// <summary>One batch: wait until the zone can take a change and announced siblings are in, then send.</summary>
    private async Task RoundAsync(ZoneLane lane)
    {
        if (!await SettleAsync(lane).ConfigureAwait(false))
            return;
        if (!await GatherAsync(lane).ConfigureAwait(false))
            return;
        Apply(lane);
        var batch = TakeBatch(lane.Queue.Where(e => !e.Result.Task.IsCompleted));
        if (batch.Count == 0)
            return;
        await SendAsync(lane, batch).ConfigureAwait(false);
    }

    /// <summary>
    /// While the zone's previous change is PENDING, a new one would be refused: wait for INSYNC, reported or asked.
    /// False when no submitter is left to serve.
    /// </summary>
    private async Task<bool> SettleAsync(ZoneLane lane)
    {
        while (true)
        {
            Apply(lane);
            if (!lane.HasWaitingSubmitters)
                return false;
            if (lane.Pending?.Id is not { } id)
                return true;
            // Someone watching the zone's name servers usually reports INSYNC first; Route 53 is asked only at the
            // poll interval.
            var nextPoll = (lane.PolledAt ?? lane.PendingSince) + _options.SettlePollInterval;
            if (nextPoll > _time.GetUtcNow())
            {
                await WaitAsync(lane, nextPoll).ConfigureAwait(false);
                continue;
            }
            lane.PolledAt = _time.GetUtcNow();
            var carried = Waiting(lane);
            try
            {
                var status = await OnBehalfOfAsync(
                        carried,
                        urgent: false,
                        ct => route53.GetChangeAsync(lane.Account, id, ct)
                    )
                    .ConfigureAwait(false);
                if (status.Status == ChangeStatus.InSync)
                    ClearPending(lane);
            }
            catch (OperationCanceledException) when (GaveUp(carried))
            {
                // A submitter gave up; the next turn drops it and asks again for the others.
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                // The question failed for good (its retries are spent): it fails the submitter it was asked for.
                carried[0].Result.TrySetException(e);
            }
        }
    }

    /// <summary>Waits for announced owners (until their deadline), then for the gather window.</summary>
    private async Task<bool> GatherAsync(ZoneLane lane)
    {
        while (true)
        {
            Apply(lane); // drops announcements past their deadline
            if (!lane.HasWaitingSubmitters)
                return false;
            if (lane.Expected.Count == 0)
                break;
            await WaitAsync(lane, lane.Expected.Values.Min()).ConfigureAwait(false);
        }
        if (_options.GatherWindow > TimeSpan.Zero)
            await Task.Delay(_options.GatherWindow, _time, _stopping.Token).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// As many queued owners as one request may carry; an owner touching a set an earlier one touches waits for the
    /// next batch.
    /// </summary>
    private static List<ZoneChangeEntry> TakeBatch(IEnumerable<ZoneChangeEntry> queue)
    {
        var batch = new List<ZoneChangeEntry>();
        var touched = new List<ResourceRecordSet>();
        var records = 0;
        var characters = 0;
        foreach (var entry in queue)
        {
            var r = entry.Changes.Sum(c => c.RecordSet.Values.Count * (c.Action == ChangeAction.Upsert ? 2 : 1));
            var ch = entry.Changes.Sum(c =>
                c.RecordSet.Values.Sum(v => v.Length) * (c.Action == ChangeAction.Upsert ? 2 : 1)
            );
            if (
                batch.Count > 0
                && (records + r > ChangeBatch.MaxResourceRecords || characters + ch > ChangeBatch.MaxValueCharacters)
            )
                break;
            if (entry.Changes.Any(c => touched.Any(t => t.IsSameSetAs(c.RecordSet))))
                continue;
            batch.Add(entry);
            touched.AddRange(entry.Changes.Select(c => c.RecordSet));
            records += r;
            characters += ch;
        }
        return batch;
    }

    private async Task SendAsync(ZoneLane lane, List<ZoneChangeEntry> batch)
    {
        // Idempotence: what the zone already holds (by its last read, refreshed by this process's own changes) is not
        // sent again. A replay after a crash finds no read in memory, reads the zone once, and sends nothing it already
        // holds. A read of any age is good enough here: if it is stale, the worst case is an UPSERT of values already
        // live, which Route 53 applies as a no-op.
        ZoneRecords live;
        try
        {
            live = await OnBehalfOfAsync(
                    batch,
                    urgent: true,
                    ct => zones.ReadAsync(lane.Account, lane.Zone, TimeSpan.MaxValue, ct)
                )
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (GaveUp(batch))
        {
            return; // a submitter gave up: the next round takes the batch again without it
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            foreach (var entry in batch)
                entry.Result.TrySetException(e);
            return;
        }
        var toSend = new List<ZoneChangeEntry>();
        foreach (var entry in batch)
        {
            if (entry.Changes.All(live.IsLive))
            {
                // Recorded under the owner whose changes they are.
                InContextOf(
                    entry,
                    () =>
                        runner.RecordAlreadyInPlace(
                            AwsOperations.ChangeResourceRecordSets,
                            lane.Account,
                            $"zone {lane.Zone}: all {entry.Changes.Count} change(s) of {entry.Owner} "
                                + $"already live, nothing sent: {string.Join("; ", entry.Changes)}"
                        )
                );
                var info = new ChangeInfo(null, ChangeStatus.InSync, _time.GetUtcNow())
                {
                    AlreadyInPlace = true,
                    AlreadyLive = entry.Changes,
                };
                entry.Result.TrySetResult(new ZoneChangeOutcome(info, []));
            }
            else
                toSend.Add(entry);
        }
        while (toSend.Count > 0)
        {
            var owners = toSend.Select(e => e.Owner).ToList();
            var changes = toSend.SelectMany(e => e.Changes).ToList();
            var request = new ChangeBatch(changes, Comment(owners));
            try
            {
                var info = await OnBehalfOfAsync(
                        toSend,
                        urgent: true,
                        ct => route53.SubmitChangeBatchAsync(lane.Account, lane.Zone, request, ct)
                    )
                    .ConfigureAwait(false);
                zones.Applied(lane.Account, lane.Zone, changes);
                // Known as PENDING before any owner learns the change id, so a report of INSYNC always finds it.
                SetPending(lane, info.Status == ChangeStatus.Pending ? info : null);
                foreach (var entry in toSend)
                    entry.Result.TrySetResult(new ZoneChangeOutcome(info, [.. owners.Where(o => o != entry.Owner)]));
                return;
            }
            catch (OperationCanceledException) when (GaveUp(toSend))
            {
                return; // a submitter gave up: the next round sends the batch again without it
            }
            catch (Route53InvalidChangeBatchException refused) when (toSend.Count > 1)
            {
                // All or nothing: nothing was applied. Fail the owners the refusal names and send the others again;
                // when it names nobody recognisably, the first half goes on its own and the rest waits for the next
                // batch.
                var blamed = toSend.Where(e => Names(e, refused.Messages)).ToList();
                foreach (var entry in blamed)
                    entry.Result.TrySetException(refused);
                toSend = blamed.Count > 0 ? [.. toSend.Except(blamed)] : [.. toSend.Take(toSend.Count / 2)];
            }
            catch (Route53InvalidChangeBatchException refused)
            {
                toSend[0].Result.TrySetException(refused);
                return;
            }
            catch (Exception e) when (!_stopping.IsCancellationRequested)
            {
                // The request failed for good (its retries are spent): it failed for every owner it carried.
                foreach (var entry in toSend)
                    entry.Result.TrySetException(e);
                return;
            }
        }
    }

    /// <summary>
    /// Runs a request for <paramref name="carried"/> (live submitters, oldest first) in the first one's execution
    /// context, cancelled at shutdown or as soon as any of them gives up.
    /// </summary>
    private async Task<T> OnBehalfOfAsync<T>(
        IReadOnlyList<ZoneChangeEntry> carried,
        bool urgent,
        Func<CancellationToken, Task<T>> request
    )
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource([
            _stopping.Token,
            .. carried.Select(e => e.Token).Where(t => t.CanBeCanceled).Distinct(),
        ]);
        Task<T>? call = null;
        InContextOf(carried[0], () => call = Run());
        return await call!.ConfigureAwait(false);

        async Task<T> Run()
        {
            // Every second a batch waits for a permit is a second of its owners' downtime: they are paused.
            // Otherwise the call keeps the priority of the owner it is made for.
            using (AwsCallPriority.Urgent(urgent || AwsCallPriority.IsUrgent))
                return await request(cancel.Token).ConfigureAwait(false);
        }
    }

    private static void InContextOf(ZoneChangeEntry entry, Action action)
    {
        if (entry.Context is { } context)
            ExecutionContext.Run(context, static state => ((Action)state!)(), action);
        else
            action();
    }

    /// <summary>Takes in what was posted, then drops what is over: answered submitters, lapsed announcements.</summary>
    private void Apply(ZoneLane lane)
    {
        while (lane.Inbox.TryRead(out var message))
        {
            switch (message)
            {
                case ZoneLaneMessage.Submit submit:
                    lane.Queue.Add(submit.Entry);
                    lane.Expected.Remove(submit.Entry.Owner);
                    break;
                case ZoneLaneMessage.Expect expect:
                    lane.Expected[expect.Owner] = expect.Until;
                    break;
                case ZoneLaneMessage.Withdraw withdraw:
                    lane.Expected.Remove(withdraw.Owner);
                    break;
                case ZoneLaneMessage.InSync inSync when inSync.ChangeId == lane.PendingChangeId:
                    ClearPending(lane);
                    break;
                case ZoneLaneMessage.AwaitSettled settle:
                    lane.SettleWaiters.Add(settle.Waiter);
                    break;
            }
        }
        var now = _time.GetUtcNow();
        // A submitter's cancellation callback may not have run yet (the request cancelled by the same token can
        // finish first, on the cancelling thread): answer it here, so no round is made for it again.
        foreach (var entry in lane.Queue)
            if (entry.Token.IsCancellationRequested)
                entry.Result.TrySetCanceled(entry.Token);
        lane.Queue.RemoveAll(e => e.Result.Task.IsCompleted);
        foreach (var (owner, _) in lane.Expected.Where(e => e.Value <= now).ToList())
            lane.Expected.Remove(owner);
        // Settled as far as the batcher knows: nothing PENDING, or the caller's patience is spent.
        foreach (var waiter in lane.SettleWaiters)
            if (lane.Pending is null || waiter.Until <= now)
                waiter.Done.TrySetResult();
        lane.SettleWaiters.RemoveAll(w => w.Done.Task.IsCompleted);
    }

    /// <summary>Nothing queued, announced or waited for, and no change that may still be PENDING.</summary>
    private bool IsIdle(ZoneLane lane, DateTimeOffset now) =>
        lane.Queue.Count == 0
        && lane.Expected.Count == 0
        && lane.SettleWaiters.Count == 0
        && (lane.Pending is null || now >= lane.PendingSince + _options.PendingChangeMemory);

    /// <summary>When an idle-looking lane must look again even if nothing is posted.</summary>
    private DateTimeOffset? NextDeadline(ZoneLane lane)
    {
        var deadlines = lane.Expected.Values.Concat(lane.SettleWaiters.Select(w => w.Until));
        if (lane.Pending is not null)
            deadlines = deadlines.Append(lane.PendingSince + _options.PendingChangeMemory);
        return deadlines.Any() ? deadlines.Min() : null;
    }

    /// <summary>Until something is posted or <paramref name="until"/> passes (forever when null).</summary>
    private async Task WaitAsync(ZoneLane lane, DateTimeOffset? until)
    {
        var readable = lane.Readable ??= lane.Inbox.WaitToReadAsync(_stopping.Token).AsTask();
        if (until is { } deadline)
        {
            var left = deadline - _time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                await Task.WhenAny(readable, Task.Delay(left, _time, timer.Token)).ConfigureAwait(false);
                await timer.CancelAsync().ConfigureAwait(false); // the delay's timer goes with it
            }
        }
        else
            await Task.WhenAny(readable).ConfigureAwait(false);
        _stopping.Token.ThrowIfCancellationRequested();
        if (!readable.IsCompleted)
            return;
        lane.Readable = null;
        await readable.ConfigureAwait(false); // surfaces a fault
    }

    private void SetPending(ZoneLane lane, ChangeInfo? change)
    {
        ClearPending(lane);
        var id = change?.Id is { } full ? ShortId(full) : null;
        if (id is not null)
            _pendingChanges[(lane.Account, id)] = lane;
        lane.SetPending(id is null ? null : change, id, _time.GetUtcNow());
    }

    private void ClearPending(ZoneLane lane)
    {
        if (lane.PendingChangeId is { } id)
            _pendingChanges.TryRemove(new((lane.Account, id), lane));
        lane.SetPending(null, null, _time.GetUtcNow());
    }

    /// <summary>The lane leaves the batcher with everything it knew (under the lane's gate).</summary>
    private void Forget(ZoneLane lane)
    {
        if (lane.PendingChangeId is { } id)
            _pendingChanges.TryRemove(new((lane.Account, id), lane));
        _lanes.TryRemove(new((lane.Account, lane.Zone), lane));
    }

    /// <summary>Whether a request was cancelled because a submitter it served gave up (not at shutdown).</summary>
    private bool GaveUp(IEnumerable<ZoneChangeEntry> carried) =>
        !_stopping.IsCancellationRequested && carried.Any(e => e.Token.IsCancellationRequested);

    private static List<ZoneChangeEntry> Waiting(ZoneLane lane) => lane.Queue.FindAll(e => !e.Result.Task.IsCompleted);

    /// <summary>Whether a refusal's messages name one of the entry's record sets (by name) or values.</summary>
    private static bool Names(ZoneChangeEntry entry, IReadOnlyList<string> messages) =>
        entry.Changes.Any(c =>
            messages.Any(m =>
                m.Contains(DnsNames.Normalize(c.RecordSet.Name), StringComparison.OrdinalIgnoreCase)
                || m.Contains(
                    DnsNames.Normalize(c.RecordSet.Name).TrimEnd('.') + " ",
                    StringComparison.OrdinalIgnoreCase
                )
                || c.RecordSet.Values.Any(v => m.Contains($"'{v}'", StringComparison.Ordinal))
            )
        );

    // Route 53 allows 256 characters of comment.
    private static string Comment(IReadOnlyList<string> owners)
    {
        var text = owners.Count == 1 ? $"cutover {owners[0]}" : $"cutovers {string.Join(", ", owners)}";
        return text.Length <= 256 ? text : text[..240] + $" (+{owners.Count} in all)";
    }

    private static string ShortId(string changeId) =>
        changeId.StartsWith("/change/", StringComparison.Ordinal) ? changeId["/change/".Length..] : changeId;
}
