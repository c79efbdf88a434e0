using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>
/// The scheduler on WorkflowCore's durable delays, driven by a fake clock: a real WorkflowCore host on a SQLite
/// file whose poller reads the FakeTimeProvider; "restart" stops that host and starts a new one on the same file.
/// </summary>
public sealed class WaveSchedulerTests
{
    static readonly DateTimeOffset Due = WaveWorld.T0.AddDays(8);

    /// <summary>WorkflowCore wakes a sleep strictly after its instant; the fake clock must pass it, not land on
    /// it.</summary>
    internal static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    static async Task<WaveWorld> ScheduledWorldAsync()
    {
        var w = new WaveWorld();
        await w.Service.CreateAsync("w1", ["acme-dev", "acme-stg"], Due, 2, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        await w.Service.ScheduleAsync("w1", Due, "alice");
        // The trigger ran its first step and sleeps in the store until the planned instant.
        await Eventually.UntilAsync(
            () => w.Scheduler.TriggersAsync("w1"),
            t => t.SingleOrDefault()?.WakesAt == Due,
            WaveWorld.Deadline,
            "the trigger sleeping until " + Due,
            WaveWorld.Describe
        );
        return w;
    }

    [Fact]
    public async Task Scheduled_start_fires_once_at_its_time()
    {
        await using var w = await ScheduledWorldAsync();
        w.Clock.Advance(Due - WaveWorld.T0 - TimeSpan.FromSeconds(1));
        await w.PolledNowAsync();
        Assert.Empty(w.Starter.Started);
        Assert.Equal(WaveState.Scheduled, (await w.Store.GetAsync("w1")).State);
        Assert.Equal(Due, Assert.Single(await w.Scheduler.TriggersAsync("w1")).WakesAt);

        w.Clock.Advance(TimeSpan.FromSeconds(1) + Tick);
        await w.StartedAsync(1);
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
        Assert.Equal(WaveState.Running, (await w.Store.GetAsync("w1")).State);
        await Eventually.UntilAsync(
            () => w.Scheduler.TriggersAsync("w1"),
            t => t.Count == 0,
            WaveWorld.Deadline,
            "the trigger to complete",
            WaveWorld.Describe
        );

        // Firing the same trigger again (a second trigger, a second host) claims nothing.
        Assert.False(await w.Scheduler.FireAsync("w1", Due, default));
        Assert.Equal(DueOutcome.Stale, await w.Scheduler.OnDueAsync("w1", Due));
        w.Clock.Advance(TimeSpan.FromDays(1));
        await w.PolledNowAsync();
        Assert.Single(w.Starter.Started);
        Assert.Single(await w.JournalEventsAsync("w1"), e => e == "wave-started");
    }

    [Fact]
    public async Task Scheduling_twice_keeps_one_trigger()
    {
        await using var w = await ScheduledWorldAsync();
        var first = Assert.Single(await w.Scheduler.TriggersAsync("w1"));
        await w.Service.ScheduleAsync("w1", Due, "alice"); // idempotent
        Assert.Equal(first.InstanceId, await w.Scheduler.ArmAsync("w1", Due));
        Assert.Equal(first.InstanceId, Assert.Single(await w.Scheduler.TriggersAsync("w1")).InstanceId);
    }

    [Fact]
    public async Task Restart_before_due_time_keeps_the_sleeping_trigger_and_fires_at_its_time()
    {
        await using var w = await ScheduledWorldAsync();
        var trigger = Assert.Single(await w.Scheduler.TriggersAsync("w1"));
        await w.StopAsync();
        w.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal([("w1", Due)], await w.StartAsync());
        Assert.Equal(trigger, Assert.Single(await w.Scheduler.TriggersAsync("w1"))); // the same durable sleep, not a new one
        await w.PolledNowAsync();
        Assert.Empty(w.Starter.Started);
        w.Clock.Advance(Due - w.Clock.GetUtcNow() + Tick);
        await w.StartedAsync(1);
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
    }

    [Fact]
    public async Task Restart_after_due_time_within_grace_starts_at_startup_once()
    {
        await using var w = await ScheduledWorldAsync();
        await w.StopAsync(); // the host is down at the due time
        w.Clock.Advance(Due - WaveWorld.T0 + TimeSpan.FromMinutes(10));
        await w.StartAsync();
        await w.StartedAsync(1);
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
        Assert.Contains("wave-started", await w.JournalEventsAsync("w1"));

        // A second restart finds the wave running, not scheduled: nothing fires again.
        await w.StopAsync();
        Assert.Empty(await w.StartAsync());
        await w.PolledNowAsync();
        Assert.Empty(w.Starter.Started);
        Assert.Empty(await w.Scheduler.TriggersAsync());
    }

    [Fact]
    public async Task Schedule_missed_beyond_grace_is_marked_missed_and_reported_not_run()
    {
        await using var w = await ScheduledWorldAsync();
        await w.StopAsync();
        w.Clock.Advance(Due - WaveWorld.T0 + w.Options.GracePeriod + TimeSpan.FromSeconds(1));
        await w.StartAsync();
        // The row turns missed before the journal entry is appended: wait for both.
        await Eventually.UntilAsync(
            async () => ((await w.Store.GetAsync("w1")).State, await w.JournalEventsAsync("w1")),
            s => s.State == WaveState.Missed && s.Item2.Contains("wave-missed"),
            WaveWorld.Deadline,
            "the wave marked missed and journaled",
            s => $"{s.State}, journal {string.Join(", ", s.Item2)}"
        );
        Assert.Empty(w.Starter.Started);
        var wave = await w.Store.GetAsync("w1");
        Assert.Contains("grace period", wave.StateReason);
        Assert.Contains("wave-missed", await w.JournalEventsAsync("w1"));
        Assert.DoesNotContain("wave-started", await w.JournalEventsAsync("w1"));

        // A missed wave can be rescheduled (with a reason) and then runs at the new time.
        var next = w.Clock.GetUtcNow().AddDays(8);
        await w.NotifyAllAsync("w1");
        await w.Service.RescheduleAsync("w1", next, "alice", "host was down for maintenance");
        w.Clock.Advance(next - w.Clock.GetUtcNow() + Tick);
        await w.StartedAsync(1);
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
    }

    [Fact]
    public async Task Reschedule_moves_the_start_terminates_the_old_trigger_and_the_old_time_does_nothing()
    {
        await using var w = await ScheduledWorldAsync();
        var old = Assert.Single(await w.Scheduler.TriggersAsync("w1"));
        var later = Due.AddHours(6);
        await Assert.ThrowsAsync<ArgumentException>(() => w.Service.RescheduleAsync("w1", later, "alice", ""));
        await w.Service.RescheduleAsync("w1", later, "alice", "customer asked for the evening");
        Assert.Equal(WorkflowStatus.Terminated, await w.TriggerStatusAsync(old.InstanceId));
        Assert.Equal(later, Assert.Single(await w.Scheduler.TriggersAsync("w1")).ScheduledFor);
        w.Clock.Advance(Due - WaveWorld.T0);
        await w.PolledNowAsync();
        Assert.Equal(DueOutcome.Stale, await w.Scheduler.OnDueAsync("w1", Due)); // a stale trigger of the old time
        Assert.Empty(w.Starter.Started);
        w.Clock.Advance(TimeSpan.FromHours(6) + Tick);
        await w.StartedAsync(1);
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
        Assert.Contains("wave-rescheduled", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task Cancel_needs_a_reason_terminates_the_trigger_and_the_wave_never_starts()
    {
        await using var w = await ScheduledWorldAsync();
        var trigger = Assert.Single(await w.Scheduler.TriggersAsync("w1"));
        await Assert.ThrowsAsync<ArgumentException>(() => w.Service.CancelAsync("w1", "alice", " "));
        await w.Service.CancelAsync("w1", "alice", "customer merger, wave dropped");
        Assert.Equal(WorkflowStatus.Terminated, await w.TriggerStatusAsync(trigger.InstanceId));
        w.Clock.Advance(TimeSpan.FromDays(30));
        await w.PolledNowAsync();
        Assert.False(await w.Scheduler.FireAsync("w1", Due, default));
        Assert.Empty(w.Starter.Started);
        var wave = await w.Store.GetAsync("w1");
        Assert.Equal(WaveState.Cancelled, wave.State);
        Assert.Equal("customer merger, wave dropped", wave.StateReason);
        // Cancelled is final.
        await Assert.ThrowsAsync<WaveStateException>(() =>
            w.Service.ScheduleAsync("w1", w.Clock.GetUtcNow().AddDays(40), "alice")
        );
    }

    [Fact]
    public async Task A_sixty_day_sleep_fires_at_the_exact_time()
    {
        await using var w = new WaveWorld();
        var due = WaveWorld.T0.AddDays(60);
        await w.Service.CreateAsync("w1", ["acme-dev"], due, 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        await w.Service.ScheduleAsync("w1", due, "alice");
        await Eventually.UntilAsync(
            () => w.Scheduler.TriggersAsync("w1"),
            t => t.SingleOrDefault()?.WakesAt == due,
            WaveWorld.Deadline,
            "the trigger sleeping",
            WaveWorld.Describe
        );
        w.Clock.Advance(TimeSpan.FromDays(59) + TimeSpan.FromHours(23));
        await w.PolledNowAsync();
        Assert.Empty(w.Starter.Started);
        w.Clock.Advance(TimeSpan.FromHours(1) + Tick);
        await w.StartedAsync(1);
        Assert.Single(w.Starter.Started);
    }

    [Fact]
    public async Task A_scheduled_row_without_a_trigger_gets_one_at_startup()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync("w1", ["acme-dev"], Due, 1, WaveOrder.Tier, "alice");
        // Scheduled by an engine that wrote only the row (or crashed between the row and the workflow).
        var draft = await w.Store.GetAsync("w1");
        Assert.True(await w.Store.TryUpdateAsync(draft, draft.Schedule(Due), w.Clock.GetUtcNow()));
        await w.StopAsync();
        Assert.Equal([("w1", Due)], await w.StartAsync());
        w.Clock.Advance(Due - WaveWorld.T0 + Tick);
        await w.StartedAsync(1);
    }

    [Theory]
    [InlineData(-1, StartupAction.Wait)]
    [InlineData(0, StartupAction.StartNow)]
    [InlineData(15, StartupAction.StartNow)]
    [InlineData(16, StartupAction.Missed)]
    public void Startup_decision(int minutesLate, StartupAction expected) =>
        Assert.Equal(
            expected,
            ScheduleDecision.Decide(WaveWorld.T0, WaveWorld.T0.AddMinutes(minutesLate), TimeSpan.FromMinutes(15))
        );

    [Fact]
    public async Task Create_is_idempotent_and_refuses_unknown_environments()
    {
        await using var w = new WaveWorld();
        var a = await w.Service.CreateAsync("w1", ["acme-dev"], Due, 1, WaveOrder.Tier, "alice");
        var b = await w.Service.CreateAsync("w1", ["acme-dev"], Due, 1, WaveOrder.Tier, "alice");
        Assert.Equal(a.Environments, b.Environments);
        await Assert.ThrowsAsync<WaveStateException>(() =>
            w.Service.CreateAsync("w1", ["acme-stg"], Due, 1, WaveOrder.Tier, "alice")
        );
        var e = await Assert.ThrowsAsync<Domain.Inventory.UnknownEnvironmentException>(() =>
            w.Service.CreateAsync("w2", ["acme-stag"], Due, 1, WaveOrder.Tier, "alice")
        );
        Assert.Contains("acme-stg", e.Message);
        Assert.Single(await w.Store.ListAsync());
    }
}

public sealed class WaveScheduledByAnotherProcessTests
{
    [Fact]
    public async Task A_schedule_and_a_reschedule_made_by_a_process_without_workers_are_picked_up_by_the_running_host()
    {
        await using var w = new WaveWorld();
        var due = WaveWorld.T0.AddDays(8);
        await w.Service.CreateAsync("w1", ["acme-dev"], due, 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");

        // Another process (the CLI): the same registrations on the same file, WorkflowCore registered but not started.
        await using (var cli = w.Services(new RecordingStarter(), out _))
        {
            cli.RegisterEngineWorkflows();
            var service = cli.GetRequiredService<WaveService>();
            await service.ScheduleAsync("w1", due, "bob");
            await Eventually.UntilAsync(
                () => w.Scheduler.TriggersAsync("w1"),
                t => t.SingleOrDefault()?.WakesAt == due,
                WaveWorld.Deadline,
                "the running host's poller to run the new trigger to its sleep",
                WaveWorld.Describe
            );
            await service.RescheduleAsync("w1", due.AddHours(2), "bob", "customer asked for later");
        }
        // The old trigger is ended through the store; the running host may still list it until its poller sees that.
        await Eventually.UntilAsync(
            () => w.Scheduler.TriggersAsync("w1"),
            t => t.Count == 1 && t[0].ScheduledFor == due.AddHours(2),
            WaveWorld.Deadline,
            "one trigger left, for the rescheduled time",
            WaveWorld.Describe
        );
        w.Clock.Advance(due - WaveWorld.T0);
        await w.PolledNowAsync();
        Assert.Empty(w.Starter.Started);
        w.Clock.Advance(TimeSpan.FromHours(2) + WaveSchedulerTests.Tick);
        await w.StartedAsync(1);
        Assert.Single(w.Starter.Started);
    }
}
