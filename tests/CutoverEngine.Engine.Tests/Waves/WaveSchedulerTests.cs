using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class WaveSchedulerTests
{
    static readonly DateTimeOffset Due = WaveWorld.T0.AddDays(8);

    static async Task<WaveWorld> ScheduledWorldAsync()
    {
        var w = new WaveWorld();
        await w.Service.CreateAsync("w1", ["acme-dev", "acme-stg"], Due, 2, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        await w.Service.ScheduleAsync("w1", Due, "alice");
        return w;
    }

    [Fact]
    public async Task Scheduled_start_fires_once_at_its_time()
    {
        await using var w = await ScheduledWorldAsync();
        w.Clock.Advance(Due - WaveWorld.T0 - TimeSpan.FromSeconds(1));
        await w.Scheduler.WhenIdleAsync();
        Assert.Empty(w.Starter.Started);
        Assert.Equal(WaveState.Scheduled, (await w.Store.GetAsync("w1")).State);

        w.Clock.Advance(TimeSpan.FromSeconds(1));
        await w.Scheduler.WhenIdleAsync();
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
        Assert.Equal(WaveState.Running, (await w.Store.GetAsync("w1")).State);

        // Firing the same trigger again (a second timer, a second host) claims nothing.
        Assert.False(await w.Scheduler.FireAsync("w1", Due, default));
        w.Clock.Advance(TimeSpan.FromDays(1));
        await w.Scheduler.WhenIdleAsync();
        Assert.Single(w.Starter.Started);
        Assert.Single(await w.JournalEventsAsync("w1"), e => e == "wave-started");
    }

    [Fact]
    public async Task Restart_before_due_time_rearms_and_fires_at_its_time()
    {
        await using var w = await ScheduledWorldAsync();
        w.Clock.Advance(TimeSpan.FromDays(3));
        w.Restart();
        var decisions = await w.Scheduler.StartAsync();
        Assert.Equal([("w1", StartupAction.Wait)], decisions);
        Assert.Equal(Due, w.Scheduler.Armed["w1"]);
        w.Clock.Advance(Due - w.Clock.GetUtcNow());
        await w.Scheduler.WhenIdleAsync();
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
    }

    [Fact]
    public async Task Restart_after_due_time_within_grace_starts_at_startup_once()
    {
        await using var w = await ScheduledWorldAsync();
        w.Restart(); // the old host's timers died with it
        w.Clock.Advance(Due - WaveWorld.T0 + TimeSpan.FromMinutes(10));
        Assert.Empty(w.Starter.Started);
        Assert.Equal([("w1", StartupAction.StartNow)], await w.Scheduler.StartAsync());
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);

        // A second restart finds the wave running, not scheduled: nothing fires again.
        w.Restart();
        Assert.Empty(await w.Scheduler.StartAsync());
        Assert.Empty(w.Starter.Started);
    }

    [Fact]
    public async Task Schedule_missed_beyond_grace_is_marked_missed_and_reported_not_run()
    {
        await using var w = await ScheduledWorldAsync();
        w.Restart();
        w.Clock.Advance(Due - WaveWorld.T0 + w.Options.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal([("w1", StartupAction.Missed)], await w.Scheduler.StartAsync());
        Assert.Empty(w.Starter.Started);
        var wave = await w.Store.GetAsync("w1");
        Assert.Equal(WaveState.Missed, wave.State);
        Assert.Contains("grace period", wave.StateReason);
        Assert.Contains("wave-missed", await w.JournalEventsAsync("w1"));

        // A missed wave can be rescheduled (with a reason) and then runs at the new time.
        var next = w.Clock.GetUtcNow().AddDays(8);
        await w.NotifyAllAsync("w1");
        await w.Service.RescheduleAsync("w1", next, "alice", "host was down for maintenance");
        w.Clock.Advance(next - w.Clock.GetUtcNow());
        await w.Scheduler.WhenIdleAsync();
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
    }

    [Fact]
    public async Task Reschedule_moves_the_start_and_the_old_time_does_nothing()
    {
        await using var w = await ScheduledWorldAsync();
        var later = Due.AddHours(6);
        await Assert.ThrowsAsync<ArgumentException>(() => w.Service.RescheduleAsync("w1", later, "alice", ""));
        await w.Service.RescheduleAsync("w1", later, "alice", "customer asked for the evening");
        w.Clock.Advance(Due - WaveWorld.T0);
        await w.Scheduler.WhenIdleAsync();
        Assert.False(await w.Scheduler.FireAsync("w1", Due, default)); // a stale trigger of the old time
        Assert.Empty(w.Starter.Started);
        w.Clock.Advance(TimeSpan.FromHours(6));
        await w.Scheduler.WhenIdleAsync();
        Assert.Equal([("w1", WaveScheduler.Actor)], w.Starter.Started);
        Assert.Contains("wave-rescheduled", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task Cancel_needs_a_reason_and_the_wave_never_starts()
    {
        await using var w = await ScheduledWorldAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => w.Service.CancelAsync("w1", "alice", " "));
        await w.Service.CancelAsync("w1", "alice", "customer merger, wave dropped");
        w.Clock.Advance(TimeSpan.FromDays(30));
        await w.Scheduler.WhenIdleAsync();
        Assert.False(await w.Scheduler.FireAsync("w1", Due, default));
        Assert.Empty(w.Starter.Started);
        var wave = await w.Store.GetAsync("w1");
        Assert.Equal(WaveState.Cancelled, wave.State);
        Assert.Equal("customer merger, wave dropped", wave.StateReason);
        // Cancelled is final.
        await Assert.ThrowsAsync<WaveStateException>(() => w.Service.ScheduleAsync("w1", w.Clock.GetUtcNow().AddDays(40), "alice"));
    }

    [Fact]
    public async Task Long_waits_are_armed_in_legs_and_fire_at_the_exact_time()
    {
        await using var w = new WaveWorld();
        var due = WaveWorld.T0.AddDays(60);
        await w.Service.CreateAsync("w1", ["acme-dev"], due, 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        await w.Service.ScheduleAsync("w1", due, "alice");
        for (var i = 0; i < 59; i++) w.Clock.Advance(TimeSpan.FromDays(1));
        w.Clock.Advance(TimeSpan.FromHours(23));
        await w.Scheduler.WhenIdleAsync();
        Assert.Empty(w.Starter.Started);
        w.Clock.Advance(TimeSpan.FromHours(1));
        await w.Scheduler.WhenIdleAsync();
        Assert.Single(w.Starter.Started);
    }

    [Theory]
    [InlineData(-1, StartupAction.Wait)]
    [InlineData(0, StartupAction.StartNow)]
    [InlineData(15, StartupAction.StartNow)]
    [InlineData(16, StartupAction.Missed)]
    public void Startup_decision(int minutesLate, StartupAction expected) =>
        Assert.Equal(expected, ScheduleDecision.Decide(WaveWorld.T0, WaveWorld.T0.AddMinutes(minutesLate), TimeSpan.FromMinutes(15)));

    [Fact]
    public async Task Create_is_idempotent_and_refuses_unknown_environments()
    {
        await using var w = new WaveWorld();
        var a = await w.Service.CreateAsync("w1", ["acme-dev"], Due, 1, WaveOrder.Tier, "alice");
        var b = await w.Service.CreateAsync("w1", ["acme-dev"], Due, 1, WaveOrder.Tier, "alice");
        Assert.Equal(a.Environments, b.Environments);
        await Assert.ThrowsAsync<WaveStateException>(() => w.Service.CreateAsync("w1", ["acme-stg"], Due, 1, WaveOrder.Tier, "alice"));
        var e = await Assert.ThrowsAsync<Domain.Inventory.UnknownEnvironmentException>(() => w.Service.CreateAsync("w2", ["acme-stag"], Due, 1, WaveOrder.Tier, "alice"));
        Assert.Contains("acme-stg", e.Message);
        Assert.Single(await w.Store.ListAsync());
    }
}

public sealed class WaveSchedulerFollowsTheRowTests
{
    [Fact]
    public async Task A_reschedule_made_by_another_process_is_followed_when_the_old_trigger_fires()
    {
        await using var w = new WaveWorld();
        var due = WaveWorld.T0.AddDays(8);
        await w.Service.CreateAsync("w1", ["acme-dev"], due, 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        await w.Service.ScheduleAsync("w1", due, "alice");
        // Another process (the CLI) moves the row; this host's timer still points at the old time.
        var wave = await w.Store.GetAsync("w1");
        Assert.True(await w.Store.TryUpdateAsync(wave, wave.Schedule(due.AddHours(2)), w.Clock.GetUtcNow()));
        w.Clock.Advance(due - WaveWorld.T0);
        await w.Scheduler.WhenIdleAsync();
        Assert.Empty(w.Starter.Started);
        Assert.Equal(due.AddHours(2), w.Scheduler.Armed["w1"]);
        w.Clock.Advance(TimeSpan.FromHours(2));
        await w.Scheduler.WhenIdleAsync();
        Assert.Single(w.Starter.Started);
    }
}
