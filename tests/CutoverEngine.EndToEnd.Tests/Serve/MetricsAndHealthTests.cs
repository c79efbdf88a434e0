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

    [Fact]
    public async Task Guessed_keys_get_429_with_retry_after_from_that_address_and_the_denials_are_counted()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 1);
        await using var serve = await ServeProcess.StartAsync(h);
        using var anonymous = serve.Client(null);
        var before = await anonymous.GetStringAsync("/metrics");
        // Serve:Limits:FailedAttempts defaults to 10 per address within 5 minutes.
        for (var i = 0; i < 10; i++)
        {
            using var guess = serve.Client($"guess-{i:D2}-0123456789abcdef");
            Assert.Equal(HttpStatusCode.Unauthorized, (await guess.GetAsync("/api/waves")).StatusCode);
        }
        using var eleventh = serve.Client("guess-10-0123456789abcdef");
        var limited = await eleventh.GetAsync("/api/waves");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(
            Assert.Single(limited.Headers.GetValues("Retry-After")),
            CultureInfo.InvariantCulture
        );
        Assert.InRange(retryAfter, 1, 300);
        // The address is limited, not only the guesses: a right key from it is not even checked.
        using var auditor = serve.Client(ServeProcess.AuditorKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await auditor.GetAsync("/api/waves")).StatusCode);

        // The exporter serves a cached scrape for a moment: read until it shows the attempts above.
        const string denied = "cutover_authentication_denied_total";
        var after = await Eventually.UntilAsync(
            () => anonymous.GetStringAsync("/metrics"),
            text => Sum(text, denied) >= Sum(before, denied) + 12,
            TimeSpan.FromSeconds(20),
            "the denials counted on /metrics",
            text =>
                string.Join('\n', text.Split('\n').Where(l => l.Contains("authentication", StringComparison.Ordinal)))
        );
        Assert.Equal(10, Sum(after, denied, "reason=\"unknown-key\"") - Sum(before, denied, "reason=\"unknown-key\""));
        Assert.Equal(2, Sum(after, denied, "reason=\"limited\"") - Sum(before, denied, "reason=\"limited\""));
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
