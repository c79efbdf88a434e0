using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Engine.Webhooks;
using CutoverEngine.Testing;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>
/// Approvals (issue #14 part 1) on the real store, journal and WorkflowCore triggers, with a fake clock: a wave with
/// a production environment needs 2 approvals (the default) from distinct people other than its creator, given for
/// the wave as it stands; the manual start refuses without them and the scheduler blocks, retries, then misses.
/// </summary>
public sealed class WaveApprovalTests
{
    static readonly DateTimeOffset Due = WaveWorld.T0.AddDays(8);
    const string Waiver = "test: notice and staging-first waived";

    /// <summary>A production wave created by alice, scheduled for <see cref="Due"/> (policy waived), its trigger
    /// sleeping.</summary>
    static async Task<WaveWorld> ProductionWaveAsync()
    {
        // Prepare is not required here: the scheduler's start would otherwise be refused by the prepare gate, which
        // has tests of its own.
        var w = new WaveWorld(approvals: new ApprovalOptions(), prepare: new() { Required = PrepareRequirement.None });
        await w.Service.CreateAsync("p1", ["acme-prod"], Due, 1, WaveOrder.Tier, "api:alice");
        await w.Service.ScheduleAsync("p1", Due, "api:alice", overrideReason: Waiver);
        await Eventually.UntilAsync(
            () => w.Scheduler.TriggersAsync("p1"),
            t => t.SingleOrDefault()?.WakesAt == Due,
            WaveWorld.Deadline,
            "the trigger sleeping until " + Due,
            WaveWorld.Describe
        );
        return w;
    }

    [Fact]
    public async Task Manual_start_is_refused_until_two_people_other_than_the_creator_approve()
    {
        await using var w = await ProductionWaveAsync();

        var refused = await Assert.ThrowsAsync<WaveNotApprovedException>(() =>
            w.Service.StartNowAsync("p1", "api:bob", Waiver)
        );
        Assert.Contains("2 more production approval(s)", refused.Message);

        // The creator cannot approve, under any channel; nor without a reason.
        var own = await Assert.ThrowsAsync<WaveStateException>(() => w.Service.ApproveAsync("p1", "cli:alice", "mine"));
        Assert.Contains("alice created it", own.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => w.Service.ApproveAsync("p1", "api:bob", " "));

        await w.Service.ApproveAsync("p1", "api:bob", "CHG-1 reviewed");
        // The same person again, through the CLI, does not count twice.
        await w.Service.ApproveAsync("p1", "cli:bob", "CHG-1 reviewed again");
        var still = await Assert.ThrowsAsync<WaveNotApprovedException>(() =>
            w.Service.StartNowAsync("p1", "api:bob", Waiver)
        );
        Assert.Contains("1 more production approval(s)", still.Message);
        Assert.Equal(WaveState.Scheduled, (await w.Store.GetAsync("p1")).State);

        await w.Service.ApproveAsync("p1", "api:carol", "customer confirmed the window");
        Assert.Equal(WaveState.Running, (await w.Service.StartNowAsync("p1", "api:bob", Waiver)).State);
        var events = await w.JournalEventsAsync("p1");
        Assert.Equal(3, events.Count(e => e == "wave-approved"));
        Assert.Contains("wave-started", events);
    }

    [Fact]
    public async Task A_change_of_the_waves_time_voids_its_approvals_and_a_revoke_withdraws_one()
    {
        await using var w = await ProductionWaveAsync();
        await w.Service.ApproveAsync("p1", "api:bob", "ok");
        await w.Service.ApproveAsync("p1", "api:carol", "ok");
        Assert.Empty(await w.Service.MissingApprovalsAsync(await w.Store.GetAsync("p1")));

        await w.Service.RescheduleAsync("p1", Due.AddHours(2), "api:alice", "customer asked", Waiver);
        var moved = await w.Store.GetAsync("p1");
        Assert.Contains("2 more production approval(s)", Assert.Single(await w.Service.MissingApprovalsAsync(moved)));

        await w.Service.ApproveAsync("p1", "api:bob", "ok for the new time");
        await w.Service.ApproveAsync("p1", "api:carol", "ok for the new time");
        Assert.Empty(await w.Service.MissingApprovalsAsync(moved));
        await w.Service.RevokeApprovalAsync("p1", "api:carol", "the customer's freeze");
        Assert.Contains("1 more production approval(s)", Assert.Single(await w.Service.MissingApprovalsAsync(moved)));
        await Assert.ThrowsAsync<WaveStateException>(() => w.Service.RevokeApprovalAsync("p1", "api:carol", "again"));
        Assert.Contains("wave-approval-revoked", await w.JournalEventsAsync("p1"));
        // Approvers are told each time the scheduled wave falls short: scheduled, rescheduled, revoked.
        var needed = (await w.Journal.ReadAsync(new() { Wave = "p1" }))
            .Where(e => e.Event == "wave-approval-needed")
            .ToList();
        Assert.Equal(3, needed.Count);
        Assert.All(needed, e => Assert.Equal(WebhookEvents.ApprovalNeeded, WebhookEvents.Of(e)));
        Assert.Contains("1 more production approval(s)", needed[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scheduler_blocks_an_unapproved_wave_at_its_time_and_starts_it_once_approved_within_grace()
    {
        await using var w = await ProductionWaveAsync();
        await w.Service.ApproveAsync("p1", "api:bob", "ok");

        w.Clock.Advance(Due - WaveWorld.T0 + WaveSchedulerTests.Tick);
        await Eventually.UntilAsync(
            () => w.JournalEventsAsync("p1"),
            e => e.Contains("wave-blocked"),
            WaveWorld.Deadline,
            "wave-blocked journaled"
        );
        // Retries that find the same thing missing journal nothing new.
        w.Clock.Advance(w.Options.BlockedRetryInterval + WaveSchedulerTests.Tick);
        await w.PolledNowAsync();
        await w.PolledNowAsync();
        Assert.Empty(w.Starter.Started);
        Assert.Equal(WaveState.Scheduled, (await w.Store.GetAsync("p1")).State);
        Assert.Single(await w.JournalEventsAsync("p1"), e => e == "wave-blocked");
        var blocked = (await w.Journal.ReadAsync(new() { Wave = "p1" })).Single(e => e.Event == "wave-blocked");
        Assert.Contains("1 more production approval(s)", blocked.Payload);

        await w.Service.ApproveAsync("p1", "api:carol", "ok");
        w.Clock.Advance(w.Options.BlockedRetryInterval + WaveSchedulerTests.Tick);
        await w.StartedAsync(1);
        Assert.Equal([("p1", WaveScheduler.Actor)], w.Starter.Started);
        Assert.Equal(WaveState.Running, (await w.Store.GetAsync("p1")).State);
    }

    [Fact]
    public async Task Scheduler_marks_a_wave_still_unapproved_at_the_end_of_the_grace_period_missed()
    {
        await using var w = await ProductionWaveAsync();
        w.Clock.Advance(Due - WaveWorld.T0 + WaveSchedulerTests.Tick);
        await Eventually.UntilAsync(
            () => w.JournalEventsAsync("p1"),
            e => e.Contains("wave-blocked"),
            WaveWorld.Deadline,
            "wave-blocked journaled"
        );
        w.Clock.Advance(w.Options.GracePeriod + w.Options.BlockedRetryInterval);
        await Eventually.UntilAsync(
            () => w.Store.GetAsync("p1"),
            wave => wave.State == WaveState.Missed,
            WaveWorld.Deadline,
            "the wave marked missed"
        );
        Assert.Empty(w.Starter.Started);
        Assert.Contains("2 more production approval(s)", (await w.Store.GetAsync("p1")).StateReason);
        Assert.Contains("wave-missed", await w.JournalEventsAsync("p1"));
    }
}
