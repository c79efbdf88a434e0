using System.Net;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>A wave holds all of a range group or none of it, whoever asks (CLI and API go through
/// WaveService).</summary>
public sealed class WaveRangeGroupTests
{
    static CutoverEnvironment InGroup(string id, string customer, Tier tier) =>
        WaveWorld.Env(id, customer, tier) with
        {
            IpStrategy = IpStrategy.Byoip,
            ByoipCidr = IPNetwork.Parse("127.30.4.0/24"),
            RangeGroup = "shared",
        };

    static WaveWorld World() =>
        new([
            InGroup("globex-stg", "globex", Tier.Staging),
            InGroup("umbrella-dev", "umbrella", Tier.Development),
            WaveWorld.Env("acme-dev", "acme", Tier.Development),
        ]);

    [Fact]
    public async Task Creating_a_wave_with_part_of_a_range_group_is_refused_naming_the_missing_environment()
    {
        await using var w = World();

        var e = await Assert.ThrowsAsync<PartialRangeGroupException>(() =>
            w.Service.CreateAsync(
                "w1",
                ["acme-dev", "globex-stg"],
                WaveWorld.T0.AddDays(10),
                2,
                WaveOrder.Tier,
                "alice"
            )
        );

        Assert.Contains("range group 'shared' (127.30.4.0/24)", e.Message);
        Assert.Contains("has globex-stg but not umbrella-dev", e.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => w.Store.GetAsync("w1"));
    }

    [Fact]
    public async Task A_wave_with_the_whole_group_is_created_and_its_windows_put_the_group_in_one_slot()
    {
        await using var w = World();

        var wave = await w.Service.CreateAsync(
            "w1",
            ["globex-stg", "acme-dev", "umbrella-dev"],
            WaveWorld.T0.AddDays(10),
            1,
            WaveOrder.Explicit,
            "alice"
        );
        var windows = EnvironmentWindow.InWave(wave, w.Inventory.Select(wave.Environments), TimeSpan.FromMinutes(60));

        Assert.Equal(
            [("globex-stg", 0), ("umbrella-dev", 0), ("acme-dev", 1)],
            windows.Select(x => (x.Environment.Id, x.Slot))
        );
    }

    [Fact]
    public async Task Scheduling_or_starting_a_stored_wave_with_part_of_a_group_is_refused_even_with_an_override()
    {
        await using var w = World();
        // Stored past the service, as a wave planned before the inventory declared the group would be.
        var stored = Wave.Draft("w1", ["globex-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier);
        await w.Store.CreateAsync(stored, "alice", WaveWorld.T0);

        var violations = await w.Service.CheckPolicyAsync(stored, WaveWorld.T0.AddDays(10));
        var schedule = await Assert.ThrowsAsync<PartialRangeGroupException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "alice", overrideReason: "we know")
        );
        var start = await Assert.ThrowsAsync<PartialRangeGroupException>(() =>
            w.Service.StartNowAsync("w1", "alice", overrideReason: "we know")
        );

        Assert.Contains(violations, v => v.Rule == RangeGroupRule.Rule && v.Message.Contains("not umbrella-dev"));
        Assert.Contains("not umbrella-dev", schedule.Message);
        Assert.Contains("not umbrella-dev", start.Message);
        Assert.Equal(WaveState.Draft, (await w.Store.GetAsync("w1")).State);
        Assert.Empty(w.Starter.Started);
    }

    [Fact]
    public async Task A_running_wave_found_with_part_of_a_group_is_stopped_by_the_runner_before_any_cutover_starts()
    {
        await using var w = World();
        var draft = Wave.Draft("w1", ["globex-stg"], WaveWorld.T0, 1, WaveOrder.Tier);
        await w.Store.CreateAsync(draft, "scheduler", WaveWorld.T0);
        var running = draft.Start();
        Assert.True(await w.Store.TryUpdateAsync(draft, running, WaveWorld.T0));
        // The refusal comes before the launcher is touched: a launcher without a host would throw if it were.
        var launcher = new CutoverEngine.Engine.Cutovers.CutoverLauncher(null!, null!, null!);
        await using var runner = new WaveRunner(
            w.Store,
            launcher,
            w.Inventory,
            w.Journal,
            w.Clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<WaveRunner>.Instance
        );

        await runner.StartClaimedAsync(running, "scheduler");
        await runner.WhenRunEndedAsync("w1");

        var stopped = await w.Store.GetAsync("w1");
        Assert.Equal(WaveState.Stopped, stopped.State);
        Assert.Contains("has globex-stg but not umbrella-dev", stopped.StateReason);
        Assert.Contains("wave-stopped", await w.JournalEventsAsync("w1"));
        Assert.Empty(await w.Store.CutoversAsync("w1"));
    }
}
