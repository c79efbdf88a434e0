using System.Net;
using System.Net.Http.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;

namespace CutoverEngine.EndToEnd.Tests.Serve;

using static ServeProcess;

/// <summary>A customer asks for another slot: `cutover wave move` and POST /api/environments/{id}/move.</summary>
public sealed class WaveMoveCommandTests
{
    static string Tier(CutoverHarness h, string suffix) =>
        h.Sandbox.Topology.Environments.First(e => e.Id.EndsWith(suffix, StringComparison.Ordinal)).Id;

    static async Task CreateAsync(CutoverHarness h, string wave, string environment, DateTimeOffset at, bool schedule)
    {
        var created = await RunCliAsync(
            h,
            "wave",
            "create",
            wave,
            "--environments",
            environment,
            "--planned-start",
            at.ToString("O")
        );
        Assert.True(created.ExitCode == 0, created.Stderr);
        // Files only: the notice time is recorded, as the policy needs it.
        var notified = await RunCliAsync(h, "wave", "notify", wave, "--out", Path.Combine(h.Directory, "notices"));
        Assert.True(notified.ExitCode == 0, notified.Stderr);
        if (!schedule)
            return;
        var scheduled = await RunCliAsync(
            h,
            "wave",
            "schedule",
            wave,
            "--at",
            at.ToString("O"),
            "--override-reason",
            "t"
        );
        Assert.True(scheduled.ExitCode == 0, scheduled.Stderr);
    }

    [Fact]
    public async Task The_cli_moves_an_environment_and_rechecks_the_notice_policy_for_production()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var (stg, dev, prod) = (Tier(h, "-stg"), Tier(h, "-dev"), Tier(h, "-prod"));
        var at = DateTimeOffset.UtcNow.AddDays(10);
        await CreateAsync(h, "w-a", stg, at, schedule: true);
        await CreateAsync(h, "w-b", dev, at.AddDays(1), schedule: true);
        await CreateAsync(h, "w-c", prod, at.AddDays(40), schedule: false);

        var moved = await RunCliAsync(h, "wave", "move", stg, "--to", "w-b", "--reason", "launch that week");
        Assert.True(moved.ExitCode == 0, moved.Stderr);
        Assert.Contains($"[{dev}, {stg}]", moved.Stdout);
        Assert.Contains("cancelled", (await RunCliAsync(h, "wave", "show", "w-a")).Stdout);

        var refused = await RunCliAsync(h, "wave", "move", prod, "--to", "w-b", "--reason", "sooner please");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"[notice] {prod} (production", refused.Stderr);
        var overridden = await RunCliAsync(
            h,
            "wave",
            "move",
            prod,
            "--to",
            "w-b",
            "--reason",
            "sooner please",
            "--override-reason",
            "approved by the customer's CTO"
        );
        Assert.True(overridden.ExitCode == 0, overridden.Stderr);

        var history = await RunCutoverAsync(h, "history", "--wave", "w-b", "--database", h.DatabasePath);
        Assert.Contains("launch that week", history.Stdout + history.Stderr);
    }

    [Fact]
    public async Task The_api_moves_an_environment_for_an_operator_only()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var (stg, dev) = (Tier(h, "-stg"), Tier(h, "-dev"));
        var at = DateTimeOffset.UtcNow.AddDays(10);
        await CreateAsync(h, "w-a", stg, at, schedule: true);
        await CreateAsync(h, "w-b", dev, at.AddDays(1), schedule: true);
        await using var serve = await ServeProcess.StartAsync(h);
        using var op = serve.Client(OperatorKey);
        using var auditor = serve.Client(AuditorKey);
        var request = new { to = "w-b", reason = "launch that week" };

        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await auditor.PostAsJsonAsync($"/api/environments/{stg}/move", request)).StatusCode
        );
        var moved = await op.PostAsJsonAsync($"/api/environments/{stg}/move", request);

        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        var body = await moved.Content.ReadAsStringAsync();
        Assert.Contains($"\"environments\":[\"{dev}\",\"{stg}\"]", body);
        var unknown = await op.PostAsJsonAsync("/api/environments/w-nope/move", request);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }
}
