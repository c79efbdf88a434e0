using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Server.Reports;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>
/// The customer's promise that nothing else is affected, measured on the sandbox: every environment's API is probed
/// from pause to resume; initech-stg's is designed to fail while paused, which is reported as an incident of its
/// own kind and does not roll the cutover back.
/// </summary>
public sealed class OtherFunctionsCutoverTests
{
    [Fact]
    public async Task The_pause_probes_the_other_functions_and_reports_the_one_that_fails_only_while_paused()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 8);
        var designed = h
            .Sandbox.Topology.Environments.Single(e => e.DesignedFailure == DesignedFailure.OtherFunctionAffected)
            .Id;
        Assert.Equal("initech-stg", designed);
        h.EditSettings = s => s["Cutovers:OtherFunctions:Interval"] = "00:00:00.2";

        var results = await h.RunAsync("acme-stg", designed);

        // Sending works on both: the affected function is reported, not rolled back for.
        Assert.All(results, r => Assert.Equal(CutoverOutcomes.Completed, r.Outcome));
        var history = await new JournalHistoryReader(
            new SqliteJournal(h.DatabasePath, TimeProvider.System)
        ).ReadWaveAsync("e2e");
        var report = WaveReport.From(history!, DateTimeOffset.UtcNow);

        var acme = report.Environments.Single(e => e.Environment == "acme-stg");
        var acmeApi = Assert.Single(acme.OtherFunctions);
        Assert.Equal("api", acmeApi.Function);
        Assert.True(acmeApi.BaselineAvailable);
        Assert.True(acmeApi.Probes >= 1, $"{acmeApi.Probes} probes");
        Assert.Equal(0, acmeApi.Failures);
        Assert.NotNull(acmeApi.P50LatencyMs);
        Assert.False(acmeApi.Affected);
        Assert.Empty(acme.AffectedFunctions);

        var initech = report.Environments.Single(e => e.Environment == designed);
        var initechApi = Assert.Single(initech.OtherFunctions);
        Assert.True(initechApi.BaselineAvailable);
        Assert.True(initechApi.Affected);
        Assert.True(initechApi.Failures >= 1);
        Assert.Equal("answered 503, expected 200", initechApi.LastError);
        var incident = Assert.Single(initech.AffectedFunctions);
        Assert.Equal("api", incident.Function);
        Assert.EndsWith($"environments/{designed}/functions/api", incident.Target);
        Assert.Empty(report.Rollbacks);

        // After the resume the function answers again: the failure was the pause's.
        using var http = new HttpClient();
        using var after = await http.GetAsync(incident.Target);
        Assert.Equal(System.Net.HttpStatusCode.OK, after.StatusCode);

        var html = await WaveReportHtml.RenderAsync(report);
        Assert.Contains("<h2>Other functions affected</h2>", html);
        Assert.Contains("answered 503, expected 200", html);
        Assert.Contains("available throughout", html);

        var journal = await new SqliteJournal(h.DatabasePath, TimeProvider.System).ReadAsync(
            new JournalQuery { Environment = designed }
        );
        var affected = Assert.Single(journal, e => e.Event == OtherFunctionAffectedPayload.Event);
        Assert.StartsWith("other function affected: api", JournalEntrySummary.Describe(affected));
    }
}
