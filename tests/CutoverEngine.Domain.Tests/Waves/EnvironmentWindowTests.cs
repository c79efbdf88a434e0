using System.Globalization;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Domain.Tests.Waves;

public class EnvironmentWindowTests
{
    static readonly DateTimeOffset Planned = new(2026, 6, 11, 8, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan DefinitionBudget = TimeSpan.FromMinutes(60);

    static CutoverEnvironment Env(string id, Tier tier, int? budgetMinutes = null) =>
        SampleEnvironments.Env(id, tier, budgetMinutes);

    static Wave WaveOf(
        IReadOnlyList<CutoverEnvironment> environments,
        int parallel,
        WaveOrder order = WaveOrder.Explicit
    ) => Wave.Draft("w1", environments.Select(e => e.Id), Planned, parallel, order);

    [Fact]
    public void The_budget_is_the_inventory_override_else_the_definitions()
    {
        Assert.Equal(DefinitionBudget, WindowBudget.For(Env("a", Tier.Staging), DefinitionBudget));
        Assert.Equal(TimeSpan.FromMinutes(45), WindowBudget.For(Env("a", Tier.Staging, 45), DefinitionBudget));
        Assert.Equal(TimeSpan.FromMinutes(45), WindowBudget.For(45.0, DefinitionBudget));
        Assert.Equal(DefinitionBudget, WindowBudget.For((double?)null, DefinitionBudget));
    }

    [Fact]
    public void With_parallel_one_the_second_environment_closes_one_budget_after_the_first()
    {
        var environments = new[] { Env("acme-stg", Tier.Staging), Env("acme-prod", Tier.Production) };
        var windows = EnvironmentWindow.InWave(WaveOf(environments, parallel: 1), environments, DefinitionBudget);

        Assert.Equal([0, 1], windows.Select(w => w.Slot));
        Assert.All(windows, w => Assert.Equal(Planned, w.Opens));
        Assert.Equal(Planned + DefinitionBudget, windows[0].Closes);
        Assert.Equal(Planned + DefinitionBudget + DefinitionBudget, windows[1].Closes);
        Assert.NotEqual(windows[0].Describe(), windows[1].Describe());
    }

    [Fact]
    public void With_parallel_covering_the_wave_every_environment_closes_one_budget_after_the_start()
    {
        var environments = new[] { Env("acme-stg", Tier.Staging), Env("acme-prod", Tier.Production) };
        var windows = EnvironmentWindow.InWave(WaveOf(environments, parallel: 2), environments, DefinitionBudget);

        Assert.All(windows, w => Assert.Equal((0, Planned, Planned + DefinitionBudget), (w.Slot, w.Opens, w.Closes)));
    }

    [Fact]
    public void A_slot_lasts_its_longest_budget_and_each_environment_closes_its_own_budget_after_its_slot_starts()
    {
        var environments = new[]
        {
            Env("a", Tier.Staging, 30),
            Env("b", Tier.Staging, 90),
            Env("c", Tier.Staging),
            Env("d", Tier.Staging, 20),
        };
        var windows = EnvironmentWindow.InWave(WaveOf(environments, parallel: 2), environments, DefinitionBudget);

        var secondSlot = Planned + TimeSpan.FromMinutes(90); // the longer of a (30) and b (90)
        Assert.Equal(
            [
                Planned + TimeSpan.FromMinutes(30),
                Planned + TimeSpan.FromMinutes(90),
                secondSlot + DefinitionBudget,
                secondSlot + TimeSpan.FromMinutes(20),
            ],
            windows.Select(w => w.Closes)
        );
        Assert.Equal(
            [TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(90), DefinitionBudget, TimeSpan.FromMinutes(20)],
            windows.Select(w => w.Budget)
        );
    }

    [Fact]
    public void Positions_follow_the_waves_order()
    {
        var environments = new[] { Env("p", Tier.Production), Env("d", Tier.Development), Env("s", Tier.Staging) };

        var byTier = EnvironmentWindow.InWave(WaveOf(environments, 1, WaveOrder.Tier), environments, DefinitionBudget);
        var asListed = EnvironmentWindow.InWave(
            WaveOf(environments, 1, WaveOrder.Explicit),
            environments,
            DefinitionBudget
        );

        Assert.Equal(["d", "s", "p"], byTier.Select(w => w.Environment.Id));
        Assert.Equal(["p", "d", "s"], asListed.Select(w => w.Environment.Id));
        Assert.Equal([0, 1, 2], byTier.Select(w => w.Position));
    }

    [Fact]
    public void A_scheduled_wave_opens_at_its_scheduled_time()
    {
        var environments = new[] { Env("a", Tier.Staging) };
        var scheduled = Planned.AddHours(3);
        var wave = WaveOf(environments, 1).Schedule(scheduled);

        var window = Assert.Single(EnvironmentWindow.InWave(wave, environments, DefinitionBudget));

        Assert.Equal((scheduled, scheduled + DefinitionBudget), (window.Opens, window.Closes));
    }

    [Fact]
    public void The_description_rounds_outwards_to_whole_minutes()
    {
        var opens = Planned.AddSeconds(30);
        var window = new EnvironmentWindow(
            Env("a", Tier.Staging),
            0,
            0,
            DefinitionBudget,
            opens,
            opens + DefinitionBudget
        );

        var floor = opens.AddSeconds(-opens.Second);
        var ceiling = floor + DefinitionBudget + TimeSpan.FromMinutes(1);
        Assert.Equal(
            string.Create(
                CultureInfo.InvariantCulture,
                $"sending paused for at most {DefinitionBudget.TotalMinutes} minutes between {floor:HH:mm} and {ceiling:HH:mm} UTC on {floor:yyyy-MM-dd}"
            ),
            window.Describe()
        );
    }

    [Fact]
    public void A_window_across_midnight_names_both_dates()
    {
        var opens = new DateTimeOffset(2026, 6, 11, 23, 30, 0, TimeSpan.Zero);
        var window = new EnvironmentWindow(
            Env("a", Tier.Staging),
            0,
            0,
            DefinitionBudget,
            opens,
            opens + DefinitionBudget
        );

        var text = window.Describe();

        Assert.Contains(
            string.Create(
                CultureInfo.InvariantCulture,
                $"between {opens:yyyy-MM-dd HH:mm} and {opens + DefinitionBudget:yyyy-MM-dd HH:mm} UTC"
            ),
            text
        );
    }
}
