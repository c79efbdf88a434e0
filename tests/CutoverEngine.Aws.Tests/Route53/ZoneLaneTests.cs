using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Aws.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Aws.Tests.Route53;

/// <summary>
/// The batcher's lanes: state held only while a zone is busy, the shutdown contract, and on whose behalf requests
/// are made. Against an in-memory Route 53, since a sandbox's 5 requests/s would make 2,000 zones take minutes.
/// </summary>
public sealed class ZoneLaneTests : IDisposable
{
    const string Account = AwsRig.Account;
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    readonly AwsRig _rig = new(new StubHandler((_, _) => throw new InvalidOperationException("no HTTP here")));

    public void Dispose() => _rig.Dispose();

    static string Zone(int i) => $"Z{i:D6}";

    static IReadOnlyList<RecordSetChange> MoveTo(int zone, string address = "192.0.2.10") =>
        [RecordSetChange.Upsert(ResourceRecordSet.A($"mta1.zone{zone}.example", 60, address))];

    ZoneChangeBatcher Build(InMemoryRoute53 route53, TimeProvider time)
    {
        _rig.Options.Route53Zones.GatherWindow = TimeSpan.Zero;
        var options = Options.Create(_rig.Options);
        var records = new HostedZoneRecords(route53, options, time);
        return new ZoneChangeBatcher(route53, records, _rig.Runner, options, time);
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails at the deadline with what it last saw.</summary>
    static async Task Until(Func<bool> condition, Func<string> observed)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > Deadline)
                Assert.Fail($"not within {Deadline.TotalSeconds:0} s; last seen: {observed()}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task After_changes_to_2000_zones_state_is_held_only_for_the_zones_still_busy()
    {
        const int zones = 2000,
            busy = 10;
        var route53 = new InMemoryRoute53(TimeProvider.System);
        for (var i = 0; i < busy; i++)
            route53.Held.Add(Zone(i));
        await using var batcher = Build(route53, TimeProvider.System);

        var submits = Enumerable
            .Range(0, zones)
            .Select(i => batcher.SubmitAsync(Account, Zone(i), $"owner-{i}", MoveTo(i)))
            .ToList();
        var done = await Task.WhenAll(submits.Skip(busy)).WaitAsync(Deadline);
        foreach (var outcome in done)
            batcher.ReportInSync(Account, outcome.Change.Id!);

        string Held() => $"{batcher.ZonesHeld} zones, {batcher.PendingChangesHeld} pending changes";
        await Until(() => batcher.ZonesHeld <= busy && batcher.PendingChangesHeld == 0, Held);
        Assert.Equal(busy, batcher.ZonesHeld); // their submitters still wait: that state must stay
        Assert.Equal(busy, route53.Waiting);

        route53.Release();
        foreach (var outcome in await Task.WhenAll(submits.Take(busy)).WaitAsync(Deadline))
            batcher.ReportInSync(Account, outcome.Change.Id!);
        await Until(() => batcher.ZonesHeld == 0 && batcher.PendingChangesHeld == 0, Held);
        Assert.Equal(zones, route53.Accepted.Count);

        // A zone whose state was dropped takes a change again like a new one.
        var again = await batcher.SubmitAsync(Account, Zone(0), "owner-0", MoveTo(0, "192.0.2.11")).WaitAsync(Deadline);
        Assert.NotNull(again.Change.Id);
    }

    [Fact]
    public async Task A_pending_change_nobody_reports_insync_is_forgotten_after_the_pending_change_memory()
    {
        const int zones = 50;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var route53 = new InMemoryRoute53(time);
        await using var batcher = Build(route53, time);

        await Task.WhenAll(
                Enumerable.Range(0, zones).Select(i => batcher.SubmitAsync(Account, Zone(i), $"owner-{i}", MoveTo(i)))
            )
            .WaitAsync(Deadline);

        // Each change is known as PENDING before its owner learns of it: the zone's next batch would wait for it.
        Assert.Equal((zones, zones), (batcher.ZonesHeld, batcher.PendingChangesHeld));
        time.Advance(_rig.Options.Route53Zones.PendingChangeMemory);
        await Until(
            () => batcher.ZonesHeld == 0 && batcher.PendingChangesHeld == 0,
            () => $"{batcher.ZonesHeld} zones, {batcher.PendingChangesHeld} pending changes"
        );
    }

    [Fact]
    public async Task A_submitter_that_gives_up_cancels_the_request_made_for_it_and_the_zone_is_dropped()
    {
        var route53 = new InMemoryRoute53(TimeProvider.System);
        route53.Held.Add(Zone(1));
        await using var batcher = Build(route53, TimeProvider.System);
        using var giveUp = new CancellationTokenSource();

        var submit = batcher.SubmitAsync(Account, Zone(1), "owner", MoveTo(1), giveUp.Token);
        await Until(() => route53.Waiting == 1, () => $"{route53.Waiting} requests waiting");
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit.WaitAsync(Deadline));
        await Until(
            () => route53.Cancelled == 1 && batcher.ZonesHeld == 0,
            () => $"{route53.Cancelled} requests cancelled, {batcher.ZonesHeld} zones held"
        );
        Assert.Empty(route53.Accepted);
    }

    [Fact]
    public async Task Shutdown_cancels_waiting_submitters_and_the_request_in_flight_and_refuses_new_submissions()
    {
        var route53 = new InMemoryRoute53(TimeProvider.System);
        route53.Held.Add(Zone(1));
        var batcher = Build(route53, TimeProvider.System);
        var submit = batcher.SubmitAsync(Account, Zone(1), "owner", MoveTo(1));
        await Until(() => route53.Waiting == 1, () => $"{route53.Waiting} requests waiting");

        await batcher.DisposeAsync().AsTask().WaitAsync(Deadline);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit.WaitAsync(Deadline));
        Assert.Equal(1, route53.Cancelled);
        Assert.Equal(0, batcher.ZonesHeld);
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            batcher.SubmitAsync(Account, Zone(2), "late", MoveTo(2))
        );
        batcher.Expect(Account, Zone(2), "late", DateTimeOffset.UtcNow.AddMinutes(1)); // does nothing
        Assert.Equal(0, batcher.ZonesHeld);
    }

    [Fact]
    public async Task A_batch_is_sent_on_behalf_of_its_owner_not_of_whoever_opened_the_zone()
    {
        var route53 = new InMemoryRoute53(TimeProvider.System);
        await using var batcher = Build(route53, TimeProvider.System);
        using (AwsCallScope.Begin("cutover", "announcer"))
            batcher.Expect(Account, Zone(1), "owner", DateTimeOffset.UtcNow.AddMinutes(1));

        using (AwsCallScope.Begin("cutover", "owner"))
            await batcher.SubmitAsync(Account, Zone(1), "owner", MoveTo(1)).WaitAsync(Deadline);

        var (_, _, labels) = Assert.Single(route53.Accepted);
        Assert.Equal("owner", labels["cutover"]);
    }
}
