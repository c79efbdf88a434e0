using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// POST /api/environments/{id}/revert on a real `cutover serve`: only an operator may ask, a reason is required, the
/// revert runs as a workflow of its own and puts the environment back on the data centre, and a second one is
/// refused.
/// </summary>
public sealed class RevertApiTests
{
    [Fact]
    public async Task An_operator_reverts_a_completed_cutover_through_the_api_once()
    {
        await using var h = await CutoverHarness.StartAsync();
        await using var serve = await ServeProcess.StartAsync(h);
        using var op = serve.Client(ServeProcess.OperatorKey);
        using var auditor = serve.Client(ServeProcess.AuditorKey);

        // Nothing to revert before the cutover: refused, naming why.
        var early = await op.PostAsJsonAsync("/api/environments/acme-stg/revert", new { reason = "too early" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("no completed cutover", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await serve.StartWaveNowAsync("w-revert", "acme-stg");
        await serve.WaitForWaveAsync("w-revert", "completed", TimeSpan.FromMinutes(2));
        Assert.Equal("aws-acme-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.20.1.11"))?.Id);

        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await auditor.PostAsJsonAsync("/api/environments/acme-stg/revert", new { reason = "auditor" })).StatusCode
        );
        var noReason = await op.PostAsJsonAsync("/api/environments/acme-stg/revert", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("needs a reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await op.PostAsJsonAsync("/api/environments/nope/revert", new { reason = "x" })).StatusCode
        );

        var accepted = await op.PostAsJsonAsync(
            "/api/environments/acme-stg/revert",
            new { reason = "customer reports bounces" }
        );
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var workflow = JsonDocument
            .Parse(await accepted.Content.ReadAsStringAsync())
            .RootElement.GetProperty("workflow")
            .GetString();
        Assert.False(string.IsNullOrEmpty(workflow));

        await Eventually.TrueAsync(
            async () =>
                JsonDocument
                    .Parse(await auditor.GetStringAsync("/api/environments/acme-stg"))
                    .RootElement.GetProperty("inFlight")
                    .ValueKind == JsonValueKind.Null,
            TimeSpan.FromMinutes(2),
            () => $"the revert {workflow} to finish {serve.Errors}"
        );
        Assert.Equal("dc-acme-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.10.1.11"))?.Id);
        Assert.Null(h.Sandbox.World.OwnerOf(IPAddress.Parse("127.20.1.11")));
        Assert.Equal(2, h.Sandbox.SendingControl.Environment("acme-stg").Status().Pauses.Count);

        var twice = await op.PostAsJsonAsync("/api/environments/acme-stg/revert", new { reason = "again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("reverted already", await twice.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
