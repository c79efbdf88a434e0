using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// `cutover wave finalise` and POST /api/waves/{id}/finalise against a real `cutover serve`: refused before the wave
/// completed, not due before the soak, finalised with an early reason (handed to serve through the store), then
/// already finalised through the API, and the revert refused.
/// </summary>
public sealed class FinaliseCommandTests
{
    [Fact]
    public async Task A_wave_is_finalised_from_the_cli_once_and_the_api_then_finds_it_done()
    {
        await using var h = await CutoverHarness.StartAsync();
        h.EditSettings = s => s["Waves:Finalise:Soak"] = "01:00:00";
        await using var serve = await ServeProcess.StartAsync(h);
        using var op = serve.Client(ServeProcess.OperatorKey);

        await serve.StartWaveNowAsync("w-final", "acme-stg");
        await serve.WaitForWaveAsync("w-final", "completed", TimeSpan.FromMinutes(2));

        var notDue = await ServeProcess.RunCliAsync(h, "wave", "finalise", "w-final", "--wait", "60");
        Assert.True(notDue.ExitCode == 1, notDue.Stdout + notDue.Stderr);
        Assert.Contains("acme-stg", notDue.Stdout, StringComparison.Ordinal);
        Assert.Contains("not due", notDue.Stdout, StringComparison.Ordinal);

        var early = await ServeProcess.RunCliAsync(
            h,
            "wave",
            "finalise",
            "w-final",
            "--early-reason",
            "customer confirmed",
            "--wait",
            "60"
        );
        Assert.True(early.ExitCode == 0, early.Stdout + early.Stderr);
        Assert.Contains("finalised", early.Stdout, StringComparison.Ordinal);

        var again = await op.PostAsJsonAsync("/api/waves/w-final/finalise", new { });
        Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        var verdict = Assert.Single(
            JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
        );
        Assert.Equal("already finalised", verdict.GetProperty("verdict").GetString());

        var revert = await op.PostAsJsonAsync("/api/environments/acme-stg/revert", new { reason = "too late" });
        Assert.Equal(HttpStatusCode.Conflict, revert.StatusCode);
        Assert.Contains("finalised", await revert.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var history = await ServeProcess.RunCutoverAsync(
            h,
            "history",
            "--environment",
            "acme-stg",
            "--database",
            h.DatabasePath
        );
        Assert.True(
            history.Stdout.Contains("finalised cutover", StringComparison.Ordinal)
                && history.Stdout.Contains(", before its soak: customer confirmed)", StringComparison.Ordinal),
            history.Stdout + history.Stderr
        );
    }

    [Fact]
    public async Task A_wave_that_has_not_completed_is_refused_and_nothing_is_handed_over()
    {
        await using var h = await CutoverHarness.StartAsync();
        await using var serve = await ServeProcess.StartAsync(h);
        using var op = serve.Client(ServeProcess.OperatorKey);
        var create = await op.PostAsJsonAsync(
            "/api/waves",
            new
            {
                id = "w-draft",
                environments = new[] { "acme-stg" },
                plannedStart = DateTimeOffset.UtcNow.AddDays(30),
                parallel = 1,
                order = "tier",
            }
        );
        Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync());

        var refused = await ServeProcess.RunCliAsync(h, "wave", "finalise", "w-draft");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("it is draft", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("finalise workflow", refused.Stdout, StringComparison.Ordinal);
        var api = await op.PostAsJsonAsync("/api/waves/w-draft/finalise", new { });
        Assert.Equal(HttpStatusCode.Conflict, api.StatusCode);
    }
}
