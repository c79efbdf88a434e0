using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class OneActiveWaveTests
{
    [Fact]
    public async Task Scheduling_a_second_wave_holding_a_scheduled_environment_is_refused_naming_the_first()
    {
        await using var w = new WaveWorld();
        var at = WaveWorld.T0.AddDays(10);
        await w.Service.CreateAsync("w1", ["acme-stg"], at, 1, WaveOrder.Tier, "alice");
        await w.Service.CreateAsync("w2", ["acme-dev", "acme-stg"], at, 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        await w.Service.ScheduleAsync("w1", at, "alice");

        var e = await Assert.ThrowsAsync<EnvironmentTakenException>(() =>
            w.Service.ScheduleAsync("w2", at, "alice", overrideReason: "the customer asked")
        );
        Assert.Equal(("acme-stg", "w1"), (e.EnvironmentId, e.OtherWave));
        Assert.Contains("environment acme-stg is in wave 'w1' (scheduled)", e.Message);
        Assert.Equal(WaveState.Draft, (await w.Store.GetAsync("w2")).State);
        var started = await Assert.ThrowsAsync<EnvironmentTakenException>(() =>
            w.Service.StartNowAsync("w2", "alice", "the customer asked")
        );
        Assert.Contains("Refused to start wave 'w2'", started.Message);

        // Once the first wave is cancelled the environment is free again.
        await w.Service.CancelAsync("w1", "alice", "customer asked for another slot");
        Assert.Equal(WaveState.Scheduled, (await w.Service.ScheduleAsync("w2", at, "alice")).State);
    }

    [Fact]
    public async Task An_environment_whose_last_cutover_completed_is_refused_in_a_new_wave_naming_that_cutover()
    {
        await using var w = new WaveWorld();
        await w.Store.RecordCutoverAsync("w0", "acme-stg", "wf-earlier", "rolled-back");
        await w.Store.RecordCutoverAsync("w1", "acme-stg", "wf-done", "completed");

        var e = await Assert.ThrowsAsync<EnvironmentTakenException>(() =>
            w.Service.CreateAsync("w2", ["acme-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "alice")
        );
        Assert.Contains("acme-stg is already cut over: its last cutover wf-done in wave 'w1' completed", e.Message);
        Assert.Null(await w.Store.FindAsync("w2"));

        // Rolled back since: the last cutover is not a completed one, so a new wave may take it.
        await w.Store.RecordCutoverAsync("w3", "acme-stg", "wf-back", "rolled-back");
        var wave = await w.Service.CreateAsync(
            "w4",
            ["acme-stg"],
            WaveWorld.T0.AddDays(10),
            1,
            WaveOrder.Tier,
            "alice"
        );
        Assert.Equal(WaveState.Draft, wave.State);
    }
}
