using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Reports;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// Four-eyes approval of a production wave (issue #14 part 1) on a real `cutover serve` and the real CLI, with the
/// engine's default of 2 approvals: the creator cannot approve, an auditor never can, an approver can but cannot
/// start, the CLI's approval counts as its OS user's, a revoke withdraws one, and the start is refused until two
/// other people have approved.
/// </summary>
public sealed class WaveApprovalApiTests
{
    [Fact]
    public async Task A_production_wave_starts_only_once_two_people_other_than_its_creator_approved()
    {
        await using var h = await CutoverHarness.StartAsync();
        // The sandbox waives approvals (one person drives it); this test puts the engine's default back.
        h.EditSettings = s => s["Waves:Approval:Production"] = "2";
        await using var serve = await ServeProcess.StartAsync(h);
        using var olga = serve.Client(ServeProcess.OperatorKey);
        using var oscar = serve.Client(ServeProcess.SecondOperatorKey);
        using var petra = serve.Client(ServeProcess.ApproverKey);
        using var audrey = serve.Client(ServeProcess.AuditorKey);

        var create = await olga.PostAsJsonAsync(
            "/api/waves",
            new
            {
                id = "w-prod",
                environments = new[] { "acme-prod" },
                plannedStart = DateTimeOffset.UtcNow,
            }
        );
        Assert.True(create.StatusCode == HttpStatusCode.Created, await create.Content.ReadAsStringAsync());
        var approvals = Approvals(await create.Content.ReadAsStringAsync());
        Assert.Equal(2, approvals.GetProperty("required").GetInt32());
        Assert.Contains("2 more production approval(s)", approvals.GetProperty("missing")[0].GetString());

        var start = new { overrideReason = "end-to-end test against the sandbox" };
        var refused = await olga.PostAsJsonAsync("/api/waves/w-prod/start", start);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("approvals missing", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var own = await olga.PostAsJsonAsync("/api/waves/w-prod/approvals", new { reason = "mine" });
        Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
        Assert.Contains("olga created it", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await audrey.PostAsJsonAsync("/api/waves/w-prod/approvals", new { reason = "auditor" })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await petra.PostAsJsonAsync("/api/waves/w-prod/approvals", new { reason = " " })).StatusCode
        );

        var byPetra = await petra.PostAsJsonAsync("/api/waves/w-prod/approvals", new { reason = "CHG-7 reviewed" });
        Assert.True(byPetra.IsSuccessStatusCode, await byPetra.Content.ReadAsStringAsync());
        Assert.Equal(
            "petra",
            Approvals(await byPetra.Content.ReadAsStringAsync())
                .GetProperty("valid")[0]
                .GetProperty("person")
                .GetString()
        );
        // An approver approves; starting is an operator's.
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await petra.PostAsJsonAsync("/api/waves/w-prod/start", start)).StatusCode
        );

        // The CLI's approval is its OS user's; revoked again, it no longer counts.
        var cli = await ServeProcess.RunCliAsync(h, ["wave", "approve", "w-prod", "--reason", "on call agrees"]);
        Assert.True(cli.ExitCode == 0, cli.Stdout + cli.Stderr);
        Assert.Contains("approvals: 2 of 2 needed: approved", cli.Stdout, StringComparison.Ordinal);
        var revoke = await ServeProcess.RunCliAsync(
            h,
            ["wave", "revoke", "w-prod", "--reason", "customer asked to wait"]
        );
        Assert.True(revoke.ExitCode == 0, revoke.Stdout + revoke.Stderr);
        Assert.Contains("1 more production approval(s)", revoke.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await olga.PostAsJsonAsync("/api/waves/w-prod/start", start)).StatusCode
        );

        var byOscar = await oscar.PostAsJsonAsync("/api/waves/w-prod/approvals", new { reason = "window confirmed" });
        Assert.True(byOscar.IsSuccessStatusCode, await byOscar.Content.ReadAsStringAsync());
        Assert.Empty(Approvals(await byOscar.Content.ReadAsStringAsync()).GetProperty("missing").EnumerateArray());

        var started = await olga.PostAsJsonAsync("/api/waves/w-prod/start", start);
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        await serve.WaitForWaveAsync("w-prod", "completed", TimeSpan.FromMinutes(2));

        var show = await ServeProcess.RunCliAsync(h, ["wave", "show", "w-prod"]);
        Assert.True(show.ExitCode == 0, show.Stdout + show.Stderr);
        Assert.Contains("approval by petra (api:petra)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("approval by oscar (api:oscar)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("approvals: 2 of 2 needed", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("on call agrees", show.Stdout, StringComparison.Ordinal);

        var output = Path.Combine(h.Directory, "report-out");
        var report = await ServeProcess.RunCutoverAsync(
            h,
            ["report", "--wave", "w-prod", "--database", h.DatabasePath, "--out", output]
        );
        Assert.True(report.ExitCode == 0, report.Stdout + report.Stderr);
        var json = WaveReportJson.Deserialize(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
        Assert.Equal(
            ["wave-approved", "wave-approved", "wave-approval-revoked", "wave-approved"],
            json.Approvals.Select(e => e.Event).ToArray()
        );
        Assert.Contains("approved by oscar", json.Approvals[^1].Summary, StringComparison.Ordinal);
        Assert.Contains("Approvals", await File.ReadAllTextAsync(Path.Combine(output, "report.html")));
    }

    static JsonElement Approvals(string wave) => JsonDocument.Parse(wave).RootElement.GetProperty("approvals");
}
