using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// POST /api/environments/{id}/retry on a real `cutover serve`: refused (409) while nothing is stuck, only an
/// operator may ask, and a retry of a held rollback (umbrella-stg's restore of its addresses refused by the sandbox)
/// finishes it.
/// </summary>
public sealed class RollbackRetryApiTests
{
    const string Environment = "umbrella-stg";

    [Fact]
    public async Task An_operator_retries_a_stuck_rollback_through_the_api()
    {
        await using var h = await CutoverHarness.StartAsync(definition: d =>
        {
            foreach (var step in d["rollback"]!.AsArray().OfType<JsonObject>())
                if (step["kind"]!.GetValue<string>() == "RestoreIps")
                    step["attempts"] = 2;
        });
        h.EditSettings = s => s["Cutovers:RollbackFailure:RetryPollInterval"] = "00:00:00.200";
        await using var serve = await ServeProcess.StartAsync(h);
        using var op = serve.Client(ServeProcess.OperatorKey);
        using var auditor = serve.Client(ServeProcess.AuditorKey);
        var journal = new SqliteJournal(h.DatabasePath, TimeProvider.System);
        async Task<IReadOnlyList<JournalEntry>> EntriesAsync() =>
            await journal.ReadAsync(new JournalQuery { Environment = Environment });

        var early = await op.PostAsJsonAsync($"/api/environments/{Environment}/retry", new { reason = "early" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("nothing is stuck", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await serve.StartWaveNowAsync("w-stuck", Environment);
        await Eventually.TrueAsync(
            async () => (await EntriesAsync()).Any(e => e.Event == StepStartedPayload.Event && e.Step == "verify"),
            TimeSpan.FromSeconds(90),
            () => $"{Environment} to start verifying"
        );
        h.Sandbox.Faults.Refuse("ec2:DisassociateAddress");
        await Eventually.TrueAsync(
            async () => (await EntriesAsync()).Any(e => e.Event == RollbackStuckPayload.Event),
            TimeSpan.FromSeconds(90),
            () => $"{Environment}'s rollback to be held"
        );
        Assert.True(h.Sandbox.SendingControl.Environment(Environment).Status().Paused);

        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await auditor.PostAsJsonAsync($"/api/environments/{Environment}/retry", new { reason = "x" })).StatusCode
        );
        h.Sandbox.Faults.Allow("ec2:DisassociateAddress");
        var accepted = await op.PostAsJsonAsync(
            $"/api/environments/{Environment}/retry",
            new { reason = "EC2 mended" }
        );
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());

        var incident = await Eventually.UntilAsync<JournalEntry?>(
            async () => (await EntriesAsync()).LastOrDefault(e => e.Event == IncidentPayload.Event),
            e => e is not null,
            TimeSpan.FromSeconds(90),
            $"{Environment}'s incident after the retry"
        );
        Assert.Equal(CutoverOutcomes.RolledBack, JournalPayload.Parse(incident!.Payload).String("outcome"));
        Assert.False(h.Sandbox.SendingControl.Environment(Environment).Status().Paused);
        Assert.Null(h.Sandbox.World.OwnerOf(IPAddress.Parse("127.20.10.11")));
        var asked = Assert.Single(await EntriesAsync(), e => e.Event == RollbackRetryRequestedPayload.Event);
        Assert.Equal("restore-ips", asked.Step);
    }
}
