using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Aws.Tests.Sandbox;
using CutoverEngine.Aws.Tests.Support;
using CutoverEngine.Sandbox.Topology;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Tests.Route53;

/// <summary>Zone reads shared between cutovers and changes batched per zone, against the sandbox's Route 53 (real
/// quotas).</summary>
public sealed class ZoneChangeBatcherTests
{
    const int Hosts = 6;

    static string Host(int i) => $"mta{i}.{SandboxWorlds.ZoneName}";

    /// <summary>One zone with <see cref="Hosts"/> A records (mta1..mta6 at 127.10.0.1x).</summary>
    static SandboxTopology Zone()
    {
        var topology = SandboxWorlds.Topology(insyncDelaySeconds: 0.3);
        var records = topology.Accounts[0].HostedZones[0].Records;
        records.Clear();
        for (var i = 1; i <= Hosts; i++)
            records.Add(
                new TopologyRecord
                {
                    Name = Host(i),
                    Type = "A",
                    Ttl = 60,
                    Values = [$"127.10.0.{10 + i}"],
                }
            );
        return topology;
    }

    static (HostedZoneRecords Zones, ZoneChangeBatcher Batcher) Build(SandboxRun run, TimeSpan? gather = null)
    {
        if (gather is { } g)
            run.Rig.Options.Route53Zones.GatherWindow = g;
        var options = Options.Create(run.Rig.Options);
        var zones = new HostedZoneRecords(run.Rig.Route53, options);
        return (zones, new ZoneChangeBatcher(run.Rig.Route53, zones, run.Rig.Runner, options));
    }

    static IReadOnlyList<RecordSetChange> MoveTo(int host, string address) =>
        [RecordSetChange.Upsert(ResourceRecordSet.A(Host(host), 60, address))];

    static long Sent(SandboxRun run, Func<CutoverEngine.Sandbox.Edge.OperationCounters, long> pick) =>
        pick(run.Host.Metrics.For(run.Account, "route53", "ChangeResourceRecordSets"));

    [Fact]
    public async Task Concurrent_readers_of_a_zone_share_one_read_and_see_changes_applied_since()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (zones, _) = Build(run);

        var reads = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(_ => zones.ReadAsync(run.Account, SandboxWorlds.ZoneId))
        );
        zones.Applied(run.Account, SandboxWorlds.ZoneId, MoveTo(1, "127.20.0.1"));
        var after = await zones.ReadAsync(run.Account, SandboxWorlds.ZoneId);

        Assert.All(reads, r => Assert.Equal(["127.10.0.11"], r.Find(Host(1), "A")!.Values));
        Assert.Equal(["127.20.0.1"], after.Find(Host(1), "A")!.Values);
        Assert.Equal(1, run.Host.Metrics.For(run.Account, "route53", "ListResourceRecordSets").Accepted);
    }

    [Fact]
    public async Task Announced_changes_to_one_zone_leave_in_one_request_and_each_owner_learns_the_change()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (_, batcher) = Build(run);
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        for (var i = 1; i <= Hosts; i++)
            batcher.Expect(run.Account, SandboxWorlds.ZoneId, $"owner-{i}", until);

        var outcomes = await Task.WhenAll(
            Enumerable
                .Range(1, Hosts)
                .Select(i =>
                    Task.Run(() =>
                        batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, $"owner-{i}", MoveTo(i, $"127.20.0.{i}"))
                    )
                )
        );

        Assert.Equal(1, Sent(run, c => c.Accepted));
        Assert.Single(outcomes.Select(o => o.Change.Id).Distinct());
        Assert.All(outcomes, o => Assert.Equal(Hosts - 1, o.BatchedWith.Count));
        var live = await run.Rig.Route53.ListRecordSetsAsync(run.Account, SandboxWorlds.ZoneId);
        for (var i = 1; i <= Hosts; i++)
            Assert.Equal([$"127.20.0.{i}"], live.Single(s => s.IsSameSetAs(ResourceRecordSet.A(Host(i), 60))).Values);
    }

    [Fact]
    public async Task Unannounced_concurrent_changes_take_fewer_requests_than_changes_and_never_meet_a_pending_change()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (_, batcher) = Build(run, gather: TimeSpan.FromMilliseconds(50));

        // Three arrive together, three more while the first batch is PENDING: the second batch waits for INSYNC.
        var first = Enumerable
            .Range(1, 3)
            .Select(i =>
                Task.Run(() =>
                    batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, $"owner-{i}", MoveTo(i, $"127.20.0.{i}"))
                )
            )
            .ToList();
        await Task.WhenAll(first);
        var second = Enumerable
            .Range(4, 3)
            .Select(i =>
                Task.Run(() =>
                    batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, $"owner-{i}", MoveTo(i, $"127.20.0.{i}"))
                )
            )
            .ToList();
        await Task.WhenAll(second);

        Assert.InRange(Sent(run, c => c.Accepted), 2, Hosts - 1);
        Assert.Equal(0, Sent(run, c => c.Throttled));
        var live = await run.Rig.Route53.ListRecordSetsAsync(run.Account, SandboxWorlds.ZoneId);
        for (var i = 1; i <= Hosts; i++)
            Assert.Equal([$"127.20.0.{i}"], live.Single(s => s.IsSameSetAs(ResourceRecordSet.A(Host(i), 60))).Values);
    }

    [Fact]
    public async Task A_bad_change_fails_only_its_owner_and_the_others_are_applied()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (_, batcher) = Build(run);
        var until = DateTimeOffset.UtcNow.AddMinutes(1);
        foreach (var owner in new[] { "good-1", "bad", "good-3" })
            batcher.Expect(run.Account, SandboxWorlds.ZoneId, owner, until);

        var good1 = Task.Run(() =>
            batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "good-1", MoveTo(1, "127.20.0.1"))
        );
        var bad = Task.Run(() =>
            batcher.SubmitAsync(
                run.Account,
                SandboxWorlds.ZoneId,
                "bad",
                [RecordSetChange.Upsert(ResourceRecordSet.A(Host(2), 60, "300.1.1.1"))]
            )
        );
        var good3 = Task.Run(() =>
            batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "good-3", MoveTo(3, "127.20.0.3"))
        );

        var refused = await Assert.ThrowsAsync<Route53InvalidChangeBatchException>(() => bad);
        Assert.Contains(refused.Messages, m => m.Contains("300.1.1.1", StringComparison.Ordinal));
        var outcomes = await Task.WhenAll(good1, good3);
        Assert.Equal(outcomes[0].Change.Id, outcomes[1].Change.Id);
        Assert.Equal((1, 1), (Sent(run, c => c.Accepted), Sent(run, c => c.Refused)));
        var live = await run.Rig.Route53.ListRecordSetsAsync(run.Account, SandboxWorlds.ZoneId);
        Assert.Equal(["127.20.0.1"], live.Single(s => s.IsSameSetAs(ResourceRecordSet.A(Host(1), 60))).Values);
        Assert.Equal(["127.20.0.3"], live.Single(s => s.IsSameSetAs(ResourceRecordSet.A(Host(3), 60))).Values);
        Assert.Equal(["127.10.0.12"], live.Single(s => s.IsSameSetAs(ResourceRecordSet.A(Host(2), 60))).Values);
    }

    [Fact]
    public async Task Changes_the_zone_already_holds_are_not_sent_again()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (_, batcher) = Build(run);

        var applied = await batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "owner", MoveTo(2, "127.20.0.2"));
        var replay = await batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "owner", MoveTo(2, "127.20.0.2"));

        Assert.False(applied.AlreadyInPlace);
        Assert.True(replay.AlreadyInPlace);
        Assert.Equal(1, Sent(run, c => c.Accepted));
    }

    [Fact]
    public async Task A_change_the_zone_already_holds_sends_no_request_and_is_recorded_as_already_in_place()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (_, batcher) = Build(run);

        var outcome = await batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "owner", MoveTo(1, "127.10.0.11"));

        Assert.True(outcome.AlreadyInPlace);
        Assert.Null(outcome.Change.Id);
        Assert.Equal(ChangeStatus.InSync, outcome.Change.Status);
        Assert.Equal(0, Sent(run, c => c.Accepted));
        var record = Assert.Single(run.Rig.AttemptsOf("ChangeResourceRecordSets"));
        Assert.Equal(AwsAttemptOutcome.AlreadyInPlace, record.Outcome);
        Assert.Contains("already live", record.Note);
    }

    [Fact]
    public async Task A_rerun_of_an_applied_create_and_delete_sends_nothing()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (_, batcher) = Build(run);
        IReadOnlyList<RecordSetChange> changes =
        [
            RecordSetChange.Create(ResourceRecordSet.A($"mta9.{SandboxWorlds.ZoneName}", 60, "127.20.0.19")),
            RecordSetChange.Delete(ResourceRecordSet.A(Host(2), 60, "127.10.0.12")),
        ];

        var first = await batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "owner", changes);
        var second = await batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "owner", changes);

        Assert.False(first.AlreadyInPlace);
        Assert.True(second.AlreadyInPlace);
        Assert.Equal(changes.Count, second.Change.AlreadyLive.Count);
        Assert.Equal(1, Sent(run, c => c.Accepted));
    }

    [Fact]
    public async Task A_cutover_waiting_for_the_zone_to_settle_is_released_when_the_pending_change_is_reported_insync()
    {
        await using var run = await SandboxRun.StartAsync(Zone());
        var (_, batcher) = Build(run);
        var applied = await batcher.SubmitAsync(run.Account, SandboxWorlds.ZoneId, "first", MoveTo(1, "127.20.0.1"));

        var settled = batcher.WhenSettledAsync(run.Account, SandboxWorlds.ZoneId, TimeSpan.FromMinutes(5));
        var waitedForTheChange = !settled.IsCompleted;
        batcher.ReportInSync(run.Account, applied.Change.Id!);
        await settled.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(waitedForTheChange);
        Assert.Equal(0, run.Host.Metrics.For(run.Account, "route53", "GetChange").Accepted);
    }
}
