using System.Globalization;
using System.Net;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// `cutover serve` as a process: Prometheus scrapes /metrics while a wave runs on the sandbox, and /health/ready
/// follows the store.
/// </summary>
public sealed class MetricsAndHealthTests
{
    [Fact]
    public async Task The_metrics_move_with_a_wave_and_readiness_fails_while_the_store_is_unreachable()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        await using var serve = await ServeProcess.StartAsync(h);
        using var anonymous = serve.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var before = await anonymous.GetStringAsync("/metrics");
        Assert.Equal(0, Sum(before, "cutover_cutovers_total", "outcome=\"completed\""));

        var environment = h
            .Sandbox.Topology.Environments.First(e => e.Id.EndsWith("-stg", StringComparison.Ordinal))
            .Id;
        await serve.StartWaveNowAsync("w-metrics", environment);
        // Scraped while the wave runs: the paused gauge shows the customer paused at some point, then not.
        // Readiness meanwhile asks the running wave's sending control too.
        var maxPaused = 0.0;
        var readyWhileRunning = new List<(HttpStatusCode, string)>();
        var after = await Eventually.UntilAsync(
            async () =>
            {
                var text = await anonymous.GetStringAsync("/metrics");
                maxPaused = Math.Max(maxPaused, Sum(text, "cutover_environments_paused"));
                var probe = await anonymous.GetAsync("/health/ready");
                readyWhileRunning.Add((probe.StatusCode, await probe.Content.ReadAsStringAsync()));
                return text;
            },
            text => Sum(text, "cutover_cutovers_total", "outcome=\"completed\"") == 1,
            TimeSpan.FromMinutes(3),
            "the completed cutover counted",
            text => string.Join('\n', text.Split('\n').Where(l => l.StartsWith("cutover_", StringComparison.Ordinal)))
        );
        await serve.WaitForWaveAsync("w-metrics", "completed", TimeSpan.FromMinutes(1));

        Assert.Equal(1, maxPaused);
        Assert.All(readyWhileRunning, r => Assert.True(r.Item1 == HttpStatusCode.OK, r.Item2));
        Assert.Contains(readyWhileRunning, r => r.Item2.Contains("1 sending control(s) of running waves answer"));
        Assert.Equal(0, Sum(after, "cutover_environments_paused"));
        Assert.True(Sum(after, "cutover_aws_attempts_total") > Sum(before, "cutover_aws_attempts_total"), after);
        Assert.True(Sum(after, "cutover_aws_attempts_total", "operation=\"ChangeResourceRecordSets\"") >= 1, after);
        Assert.Equal(1, Sum(after, "cutover_downtime_seconds_count"));
        Assert.True(Sum(after, "cutover_step_duration_seconds_count", "step=\"repoint-dns\"") >= 1, after);

        // The store's file gone from its path (a directory in its place): not ready, naming the store; back: ready.
        var moved = h.DatabasePath + ".away";
        File.Move(h.DatabasePath, moved);
        Directory.CreateDirectory(h.DatabasePath);
        try
        {
            var unready = await anonymous.GetAsync("/health/ready");
            var body = await unready.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
            Assert.Contains("store unreachable", body);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            Directory.Delete(h.DatabasePath);
            File.Move(moved, h.DatabasePath);
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>The sum of a metric's samples in Prometheus text exposition (<c>name{labels} value [time]</c>), over
    /// the series whose labels contain <paramref name="label"/>.</summary>
    static double Sum(string exposition, string metric, string? label = null) =>
        exposition
            .Split('\n')
            .Where(l =>
                l.StartsWith(metric + "{", StringComparison.Ordinal)
                || l.StartsWith(metric + " ", StringComparison.Ordinal)
            )
            .Where(l => label is null || l.Contains(label, StringComparison.Ordinal))
            .Sum(l =>
                double.Parse(
                    (l.Contains('{') ? l[(l.LastIndexOf('}') + 1)..] : l[metric.Length..]).Trim().Split(' ')[0],
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture
                )
            );
}
