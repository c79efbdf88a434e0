using System.Diagnostics;
using System.Text.RegularExpressions;
using CutoverEngine.Cli;
using CutoverEngine.EndToEnd.Tests.Cli;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Server.Reports;
using Xunit.Abstractions;

namespace CutoverEngine.EndToEnd.Tests.Reports;

/// <summary>
/// A real wave on the sandbox (acme-stg moves, umbrella-stg fails verification and rolls back), then the report
/// from the journal it left. In the console collection because it runs `cutover report`, which writes to stdout.
/// </summary>
[Collection(JournalConsoleCollection.Name)]
public sealed class WaveReportEndToEndTests(ITestOutputHelper log)
{
    const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Report_of_a_real_wave_shows_the_completed_and_the_rolled_back_environment()
    {
        await using var h = await CutoverHarness.StartAsync();
        var results = await h.RunAsync("acme-stg", "umbrella-stg");
        Assert.Equal(2, results.Count);

        var history = await new JournalHistoryReader(
            new SqliteJournal(h.DatabasePath, TimeProvider.System)
        ).ReadWaveAsync("e2e");
        Assert.NotNull(history);
        var report = WaveReport.From(history, DateTimeOffset.UtcNow);

        var acme = report.Environments.Single(e => e.Environment == "acme-stg");
        Assert.Equal(CutoverOutcomes.Completed, acme.Outcome);
        Assert.NotNull(acme.EngineDowntimeSeconds);
        Assert.NotNull(acme.SendingGapSeconds);
        Assert.NotNull(acme.WindowBudgetUsed);
        Assert.Contains(acme.Steps, s => s.State == StepStates.Completed);
        Assert.NotEmpty(acme.LastChecks);
        Assert.All(acme.LastChecks, c => Assert.True(c.Passed, $"{c.Check} {c.Subject}: {c.Detail}"));

        var umbrella = report.Environments.Single(e => e.Environment == "umbrella-stg");
        Assert.Equal("rolled-back", umbrella.Outcome);
        var rollback = Assert.Single(report.Rollbacks);
        Assert.Equal("umbrella-stg", rollback.Environment);
        Assert.Contains("smtp-banner", rollback.Cause);
        // After the rollback too the zone and the addresses are compared with the snapshot: nothing else changed.
        Assert.NotNull(umbrella.BlastRadius);
        Assert.Null(umbrella.BlastRadius.Error);
        Assert.Empty(umbrella.BlastRadius.Outside);
        Assert.Empty(acme.BlastRadius!.Outside);

        Assert.Equal(1, report.Statistics.MeasuredCompleted);
        Assert.Equal(acme.EngineDowntimeSeconds, report.Statistics.DowntimeMaxSeconds);
        Assert.Equal(1, report.Statistics.Rollbacks);
        Assert.All(report.Customers, c => Assert.NotEqual(CustomerSummary.Unnamed, c.Customer));
        var customerOfAcme = report.Customers.Single(c => c.Environments.Any(e => e.Environment == "acme-stg"));
        Assert.Equal(h.Inventory.Environments.Single(e => e.Id == "acme-stg").Customer, customerOfAcme.Customer);
        Assert.StartsWith(
            "Moved successfully.",
            customerOfAcme.Environments.Single(e => e.Environment == "acme-stg").Result
        );

        var html = await WaveReportHtml.RenderAsync(report);
        Assert.Equal(2, Regex.Count(html, "<rect class=\"bar\""));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

        // The journal the wave wrote is intact: what `cutover audit verify` checks.
        var verification = await new JournalVerifier(h.DatabasePath).VerifyAsync();
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);

        // The command writes both files where asked and exits 0; an unknown wave is exit 1.
        var output = Path.Combine(h.Directory, "report-out");
        Assert.Equal(
            0,
            await CutoverCommand.RunAsync(["report", "--wave", "e2e", "--database", h.DatabasePath, "--out", output])
        );
        var htmlPath = Path.Combine(output, "report.html");
        Assert.Contains("umbrella-stg", await File.ReadAllTextAsync(htmlPath));
        var json = WaveReportJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
        Assert.Equal(["acme-stg", "umbrella-stg"], json.Environments.Select(e => e.Environment).Order());
        Assert.Equal(
            1,
            await CutoverCommand.RunAsync([
                "report",
                "--wave",
                "no-such-wave",
                "--database",
                h.DatabasePath,
                "--out",
                output,
            ])
        );

        await ScreenshotAsync(htmlPath, Path.Combine(output, "report.png"));
    }

    /// <summary>Renders the page with headless Chromium when it is installed: the page must load and paint.</summary>
    async Task ScreenshotAsync(string htmlPath, string pngPath)
    {
        if (!File.Exists(Chromium))
        {
            log.WriteLine($"{Chromium} is not installed: screenshot skipped.");
            return;
        }
        var start = new ProcessStartInfo(Chromium)
        {
            ArgumentList =
            {
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1200,2400",
                $"--screenshot={pngPath}",
                new Uri(htmlPath).AbsoluteUri,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        log.WriteLine(await stderr);
        Assert.True(
            File.Exists(pngPath) && new FileInfo(pngPath).Length > 10_000,
            $"chromium exited {process.ExitCode} without a screenshot: {await stdout}"
        );
        // Keep a copy for a person to look at; the harness directory is deleted afterwards.
        var keep = Path.Combine(Path.GetTempPath(), "cutover-report-e2e.png");
        File.Copy(pngPath, keep, overwrite: true);
        log.WriteLine($"screenshot: {keep}");
    }
}
