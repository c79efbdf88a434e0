using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Domain.Waves.Freezes;

namespace CutoverEngine.Domain.Tests.Waves;

/// <summary>The freeze calendar's format and the rule that no window may overlap a freeze of its customer.</summary>
public class FreezeRuleTests
{
    static readonly DateTimeOffset Start = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    static IReadOnlyList<EnvironmentWindow> Windows(params CutoverEnvironment[] environments) =>
        EnvironmentWindow.InWave(
            Wave.Draft("w1", environments.Select(e => e.Id), Start, 1, WaveOrder.Explicit),
            environments,
            TimeSpan.FromMinutes(60)
        );

    static ChangeFreeze Freeze(DateTimeOffset from, DateTimeOffset to, params string[] customers) =>
        new("f", from, to, customers, null);

    [Fact]
    public void A_window_conflicts_only_with_a_freeze_of_its_customer_that_shares_an_instant()
    {
        // Parallel 1: the first window is 02:00-03:00, the second 02:00-04:00.
        var windows = Windows(SampleEnvironments.Env("a", Tier.Production), SampleEnvironments.Env("b", Tier.Staging));
        Assert.Equal(2, FreezeRule.Conflicts(windows, [Freeze(Start.AddHours(-1), Start.AddMinutes(1))]).Count);
        // Half-open: a freeze starting as the first window closes misses it, not the second.
        Assert.Equal(
            ["b"],
            FreezeRule
                .Conflicts(windows, [Freeze(Start.AddHours(1), Start.AddHours(5))])
                .Select(c => c.Window.Environment.Id)
        );
        Assert.Empty(FreezeRule.Conflicts(windows, [Freeze(Start.AddHours(-5), Start)]));
        // SampleEnvironments' customer is "Acme": matched whatever the case, another customer's freeze is not.
        Assert.Equal(2, FreezeRule.Conflicts(windows, [Freeze(Start, Start.AddDays(1), "acme")]).Count);
        Assert.Empty(FreezeRule.Conflicts(windows, [Freeze(Start, Start.AddDays(1), "initech")]));
        Assert.Empty(FreezeRule.Conflicts(windows, [Freeze(Start, Start.AddDays(1))], new HashSet<string>(["f"])));
    }

    [Fact]
    public void The_calendar_reads_freezes_and_reports_every_error_where_it_is()
    {
        var (freezes, errors) = FreezeCalendarReader.Parse(
            """
            version: 1
            freezes:
              - name: black-friday
                from: 2026-11-26T00:00:00Z
                to: 2026-12-01T00:00:00+01:00
                reason: peak sending
              - name: acme-quarter-end
                customers: [acme, initech]
                from: 2026-12-28T00:00:00Z
                to: 2027-01-04T00:00:00Z
            """,
            "freezes.yaml"
        );
        Assert.Empty(errors);
        Assert.NotNull(freezes);
        Assert.Equal(["black-friday", "acme-quarter-end"], freezes.Select(f => f.Name));
        Assert.True(freezes[0].IsGlobal);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), freezes[0].To);
        Assert.Equal(["acme", "initech"], freezes[1].Customers);

        (freezes, errors) = FreezeCalendarReader.Parse(
            """
            version: 1
            freezes:
              - name: a
                from: 2026-12-02T00:00:00Z
                to: 2026-12-01T00:00:00Z
              - name: a
                form: 2026-12-01T00:00:00Z
                to: 2026-12-02T00:00:00Z
            """,
            "freezes.yaml"
        );
        Assert.Null(freezes);
        var lines = errors.Select(e => e.ToString()).ToList();
        Assert.Contains(
            lines,
            l => l.StartsWith("freezes.yaml:3:5: freezes[0].to: must be after from", StringComparison.Ordinal)
        );
        Assert.Contains(
            lines,
            l => l.Contains("freezes[1].form: unknown field 'form' (did you mean 'from'?)", StringComparison.Ordinal)
        );
        Assert.Contains(lines, l => l.Contains("freeze 'a' is given twice", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("freezes[1].from: required field missing", StringComparison.Ordinal));
        Assert.Equal(([], []), FreezeCalendarReader.Parse("", "empty.yaml"));
    }
}
