using System.Text.RegularExpressions;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Server.Reports;

namespace CutoverEngine.Server.Tests.Reports;

/// <summary>
/// The report's HTML from a report model (how the model is read from the journal is the engine's tests' business):
/// Acme's two environments complete (staging with steps and a check round), 19 filler environments complete with
/// downtimes of 300..2100 s, and an environment with a hostile id, customer and cause rolls back.
/// </summary>
public sealed class WaveReportHtmlTests
{
    const string Hostile = "<script>alert(\"id\")</script>&x";
    const string HostileCause = "<img src=x onerror=alert(1)> DNS change C123 not INSYNC after 300 s";
    static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    static EnvironmentReport Completed(string environment, string customer, double seconds) =>
        new()
        {
            Environment = environment,
            Customer = customer,
            Outcome = CutoverOutcomes.Completed,
            EngineDowntimeSeconds = seconds,
            SendingGapSeconds = seconds,
            WindowBudgetSeconds = 3600,
            WindowBudgetUsed = seconds / 3600,
        };

    static StepTiming Step(string step, string state, double offset, double duration) =>
        new()
        {
            Step = step,
            State = state,
            OffsetSeconds = offset,
            DurationSeconds = duration,
            StartedAt = Start.AddSeconds(offset),
        };

    static WaveReport Build()
    {
        var acmeStaging = Completed("acme-staging", "Acme Corp", 1890) with
        {
            Steps =
            [
                Step("pause-sending", StepStates.Completed, offset: 0, duration: 1),
                Step("repoint-ips", StepStates.Completed, offset: 3, duration: 10),
            ],
            LastCheckRound = 2,
            LastChecks =
            [
                new CheckResult("authoritative-dns", "mta1.acme.example", true, "127.20.1.11", "127.20.1.11", ""),
            ],
        };
        var fillers = Enumerable.Range(3, 19).Select(i => Completed($"filler-{i:00}", "Globex", i * 100));
        var hostile = new EnvironmentReport
        {
            Environment = Hostile,
            Customer = "Umbrella <Corp>",
            Outcome = "rolled-back",
            EngineDowntimeSeconds = 420,
            RollbackCause = HostileCause,
            Steps = [Step("repoint-dns", StepStates.Failed, offset: 0, duration: 300) with { Cause = HostileCause }],
        };
        EnvironmentReport[] environments = [acmeStaging, Completed("acme-prod", "Acme Corp", 200), .. fillers, hostile];
        return new WaveReport
        {
            Wave = "wave-2026-03",
            GeneratedAt = Start.AddDays(1),
            Environments = environments,
            Statistics = new WaveStatistics { Environments = environments.Length, Rollbacks = 1 },
            Rollbacks =
            [
                new RollbackReport
                {
                    Environment = Hostile,
                    Customer = "Umbrella <Corp>",
                    Outcome = "rolled-back",
                    At = Start.AddHours(3),
                    Cause = HostileCause,
                    AtStep = "repoint-dns",
                },
            ],
            Customers =
            [
                new CustomerSummary
                {
                    Customer = "Umbrella <Corp>",
                    Environments =
                    [
                        new CustomerEnvironment
                        {
                            Environment = Hostile,
                            CutOverAt = Start.AddHours(3),
                            DowntimeSeconds = 420,
                            Result = "Not moved this time.",
                        },
                    ],
                },
            ],
        };
    }

    [Fact]
    public async Task Html_encodes_hostile_ids_customers_and_causes()
    {
        var html = await WaveReportHtml.RenderAsync(Build());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Umbrella <Corp>", html);
        Assert.Contains("&lt;script&gt;alert(&quot;id&quot;)&lt;/script&gt;&amp;x", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; DNS change C123 not INSYNC after 300 s", html);
        Assert.Contains("Umbrella &lt;Corp&gt;", html);
        // Self-contained: no scripts, no external resources.
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
    }

    [Fact]
    public async Task Chart_has_one_bar_per_environment_and_the_30_and_60_minute_lines()
    {
        var report = Build();
        var svg = await WaveReportHtml.DowntimeChartAsync(report);

        Assert.Equal(report.Environments.Count, Regex.Count(svg, "<rect class=\"bar\""));
        Assert.Equal(2, Regex.Count(svg, "<line class=\"reference\""));
        Assert.Contains(">30 min</text>", svg);
        Assert.Contains(">60 min</text>", svg);
        Assert.Contains(">Downtime (minutes)</text>", svg);
        Assert.Contains(svg, await WaveReportHtml.RenderAsync(report));

        // The bars are to scale: the 60-minute line sits above the tallest (35-minute) bar, the 30-minute one below it.
        double Attribute(string element, string name) =>
            double.Parse(
                Regex.Match(element, $" {name}=\"([0-9.]+)\"").Groups[1].Value,
                System.Globalization.CultureInfo.InvariantCulture
            );
        var lines = Regex
            .Matches(svg, "<line class=\"reference\"[^>]*>")
            .Select(m => Attribute(m.Value, "y1"))
            .ToList();
        var tallest = Regex.Matches(svg, "<rect class=\"bar\"[^>]*>").Select(m => Attribute(m.Value, "y")).Min();
        Assert.True(
            lines[1] < tallest && tallest < lines[0],
            $"60-min line at y={lines[1]}, tallest bar top at y={tallest}, 30-min line at y={lines[0]}"
        );
    }

    [Fact]
    public async Task Chart_axis_is_labelled_in_even_steps_from_zero()
    {
        var svg = await WaveReportHtml.DowntimeChartAsync(Build());

        // The tick labels are the text elements right of the axis (x = left - 6 = 54).
        var ticks = Regex
            .Matches(svg, "<text x=\"54\"[^>]*>([0-9]+)</text>")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(ticks.Count >= 2, svg);
        Assert.Equal(0, ticks[0]);
        var step = ticks[1] - ticks[0];
        Assert.True(step > 0, $"ticks {string.Join(", ", ticks)}");
        Assert.Equal(Enumerable.Range(0, ticks.Count).Select(i => i * step), ticks);
        // The tallest bar (35 minutes) is under the top of the axis.
        Assert.True(ticks[^1] >= 35, $"ticks {string.Join(", ", ticks)}");
    }
}
