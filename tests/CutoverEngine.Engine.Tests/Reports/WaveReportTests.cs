using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Engine.Tests.Audit;

namespace CutoverEngine.Engine.Tests.Reports;

/// <summary>
/// A synthetic wave written with the event names and payload shapes the engine writes: Acme's two environments
/// complete (staging with steps, a throttled AWS call and two check rounds), 19 filler environments complete with
/// downtimes of 300..2100 s, and an environment with a hostile id and cause rolls back.
/// </summary>
public sealed class WaveReportTests : IDisposable
{
    const string Wave = "wave-2026-03";
    const string Hostile = "<script>alert(\"id\")</script>&x";
    const string HostileCause = "<img src=x onerror=alert(1)> DNS change C123 not INSYNC after 300 s";
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    Task<JournalEntry> Write(string @event, string? environment, string? step, object? payload, int afterSeconds = 1) =>
        db.AppendAsync(new JournalEvent(@event, "scheduler")
        {
            Wave = Wave, Environment = environment, WorkflowInstance = environment is null ? null : "wf-" + environment, Step = step, Payload = payload,
        }, TimeSpan.FromSeconds(afterSeconds));

    static object Subject(string environment, string customer) => new { subject = new { environmentId = environment, customer, tier = "staging" } };

    static object Downtime(DateTimeOffset paused, double seconds, double gap) => new
    {
        pausedAt = paused, resumedAt = paused.AddSeconds(seconds), downtimeSeconds = seconds, monotonicSeconds = seconds,
        sendingPausedAt = paused, sendingResumedAt = paused.AddSeconds(gap), sendingGapSeconds = gap,
        windowBudgetSeconds = 3600.0, windowBudgetUsed = seconds / 3600, measurementsDisagree = Math.Abs(seconds - gap) > 2,
        disagreement = Math.Abs(seconds - gap) > 2 ? $"the engine measured {seconds:0.0} s but the sending side reports a gap of {gap:0.0} s" : null,
    };

    async Task<WaveReport> BuildAsync()
    {
        await Write(JournalEventNames.WaveStarted, null, null, null);

        const string acme = "acme-staging";
        await Write(JournalEventNames.CutoverStarted, acme, null, Subject(acme, "Acme Corp"));
        await Write(JournalEventNames.StepStarted, acme, "pause-sending", new { kind = "PauseSending", timeoutSeconds = 60.0 });
        await Write(JournalEventNames.StepCompleted, acme, "pause-sending", new { summary = "paused", ms = 800.0, elapsedMs = 1000.0 });
        await Write(JournalEventNames.StepStarted, acme, "repoint-ips", new { kind = "RepointIps", timeoutSeconds = 600.0 }, afterSeconds: 2);
        await Write(JournalEventNames.AwsAttempt, acme, "repoint-ips", new { service = "ec2", operation = "AssociateAddress", attempt = 1, httpStatus = 503, errorCode = "RequestLimitExceeded", latencyMs = 30.0, outcome = "retry" });
        await Write(JournalEventNames.AwsAttempt, acme, "repoint-ips", new { service = "ec2", operation = "AssociateAddress", attempt = 2, httpStatus = 200, latencyMs = 40.0, outcome = "succeeded" });
        await Write(JournalEventNames.StepCompleted, acme, "repoint-ips", new { summary = "2 addresses moved", ms = 9000.0 }, afterSeconds: 10);
        await Write(JournalEventNames.Checks, acme, "verify", new { round = 1, results = new object[] { new { check = "authoritative-dns", subject = "mta1.acme.example", passed = false, expected = "127.20.1.11", observed = "127.10.1.11", detail = "old answer" } } });
        await Write(JournalEventNames.Checks, acme, "verify", new { round = 2, results = new object[] { new { check = "authoritative-dns", subject = "mta1.acme.example", passed = true, expected = "127.20.1.11", observed = "127.20.1.11", detail = "" } } });
        await Write(JournalEventNames.DowntimeRecorded, acme, "record-downtime", Downtime(TempJournal.Start.AddMinutes(1), 1890, 1899));

        await Write(JournalEventNames.CutoverStarted, "acme-prod", null, Subject("acme-prod", "Acme Corp"));
        await Write(JournalEventNames.DowntimeRecorded, "acme-prod", "record-downtime", Downtime(TempJournal.Start.AddHours(1), 200, 200.5));

        for (var i = 3; i <= 21; i++)
        {
            var environment = $"filler-{i:00}";
            await Write(JournalEventNames.CutoverStarted, environment, null, Subject(environment, "Globex"));
            await Write(JournalEventNames.DowntimeRecorded, environment, "record-downtime", Downtime(TempJournal.Start.AddHours(2), i * 100, i * 100));
        }

        await Write(JournalEventNames.CutoverStarted, Hostile, null, Subject(Hostile, "Umbrella <Corp>"));
        await Write(JournalEventNames.StepStarted, Hostile, "repoint-dns", new { kind = "RepointDns", timeoutSeconds = 300.0 });
        await Write(JournalEventNames.AwsAttempt, Hostile, "repoint-dns", new { service = "route53", operation = "ChangeResourceRecordSets", attempt = 1, httpStatus = 400, errorCode = "Throttling", latencyMs = 20.0, outcome = "retry" });
        await Write(JournalEventNames.AwsAttempt, Hostile, "repoint-dns", new { service = "route53", operation = "ChangeResourceRecordSets", attempt = 2, httpStatus = 200, latencyMs = 20.0, outcome = "succeeded" });
        await Write(JournalEventNames.StepFailed, Hostile, "repoint-dns", new { cause = HostileCause, output = "" }, afterSeconds: 300);
        await Write(JournalEventNames.RollbackStarted, Hostile, "repoint-dns", new { cause = HostileCause, step = "repoint-dns" });
        await Write(JournalEventNames.Incident, Hostile, "record-incident", new
        {
            outcome = "rolled-back", cause = HostileCause, atStep = "repoint-dns", problems = Array.Empty<string>(),
            downtime = Downtime(TempJournal.Start.AddHours(3), 420, 421),
        });

        var history = (await new JournalHistoryReader(db.Journal).ReadWaveAsync(Wave))!;
        return WaveReport.From(history, TempJournal.Start.AddDays(1));
    }

    [Fact]
    public async Task Statistics_are_nearest_rank_percentiles_of_completed_cutovers_only()
    {
        var report = await BuildAsync();
        var s = report.Statistics;

        // Completed: 200, 300..2100 (19 fillers), 1890 => 21 values; the rolled-back 420 s is left out.
        Assert.Equal(22, s.Environments);
        Assert.Equal(21, s.MeasuredCompleted);
        Assert.Equal(1200, s.DowntimeP50Seconds); // rank ceil(10.5) = 11 of [200, 300, ..., 1800, 1890, 1900, 2000, 2100]
        Assert.Equal(2000, s.DowntimeP95Seconds); // rank ceil(19.95) = 20
        Assert.Equal(2100, s.DowntimeMaxSeconds);
        Assert.Equal(4, s.Over30Minutes); // 1890, 1900, 2000, 2100
        Assert.Equal(0, s.Over60Minutes);
        Assert.Equal(1, s.Rollbacks);
        Assert.Equal(21, s.Outcomes[CutoverOutcomes.Completed]);
        Assert.Equal(1, s.Outcomes["rolled-back"]);
        Assert.Equal(4, s.AwsAttempts);
        Assert.Equal(2, s.AwsRetries);
        Assert.Equal(2, s.AwsThrottles);
        Assert.Equal(1, s.MeasurementDisagreements); // acme-staging: 1890 s against 1899 s
    }

    [Theory]
    [InlineData(new double[] { 5 }, 50, 5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 95, 4)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 95, 10)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 50, 5)]
    public void Percentile_is_an_observed_value(double[] ascending, double p, double expected) =>
        Assert.Equal(expected, WaveStatistics.Percentile(ascending, p));

    [Fact]
    public void Percentile_of_nothing_is_null() => Assert.Null(WaveStatistics.Percentile([], 50));

    [Fact]
    public async Task Environment_carries_both_measurements_budget_share_steps_and_last_check_round()
    {
        var report = await BuildAsync();
        var acme = report.Environments.Single(e => e.Environment == "acme-staging");

        Assert.Equal("Acme Corp", acme.Customer);
        Assert.Equal(CutoverOutcomes.Completed, acme.Outcome);
        Assert.Equal(1890, acme.EngineDowntimeSeconds);
        Assert.Equal(1899, acme.SendingGapSeconds);
        Assert.True(acme.MeasurementsDisagree);
        Assert.Equal(0.525, acme.WindowBudgetUsed!.Value, 3);
        Assert.Equal(["pause-sending", "repoint-ips"], acme.Steps.Select(s => s.Step));
        Assert.Equal(0, acme.Steps[0].OffsetSeconds);
        Assert.Equal(1, acme.Steps[0].DurationSeconds);
        Assert.Equal(3, acme.Steps[1].OffsetSeconds);
        Assert.Equal(12, acme.Steps[1].DurationSeconds);
        Assert.Equal(2, acme.LastCheckRound);
        Assert.True(Assert.Single(acme.LastChecks).Passed);
        Assert.Equal(1, acme.AwsRetries);
        Assert.Equal(1, acme.AwsThrottles);

        var rollback = Assert.Single(report.Rollbacks);
        Assert.Equal(Hostile, rollback.Environment);
        Assert.Equal(HostileCause, rollback.Cause);
        Assert.Equal("repoint-dns", rollback.AtStep);
    }

    [Fact]
    public async Task Customer_summary_groups_environments_in_plain_words_without_internal_details()
    {
        var report = await BuildAsync();

        Assert.Equal(["Acme Corp", "Globex", "Umbrella <Corp>"], report.Customers.Select(c => c.Customer));
        var acme = report.Customers[0];
        Assert.Equal(["acme-staging", "acme-prod"], acme.Environments.Select(e => e.Environment));
        Assert.Equal(TempJournal.Start.AddMinutes(1), acme.Environments[0].CutOverAt);
        Assert.Equal("Moved successfully. Sending was paused for 32 minutes.", acme.Environments[0].Result);
        Assert.Equal("Moved successfully. Sending was paused for 3 minutes.", acme.Environments[1].Result);
        Assert.Equal(19, report.Customers[1].Environments.Count);

        var umbrella = Assert.Single(report.Customers[2].Environments);
        Assert.StartsWith("Not moved this time", umbrella.Result);
        Assert.Contains("7 minutes", umbrella.Result);
        Assert.DoesNotContain("C123", umbrella.Result);
        Assert.DoesNotContain("repoint", umbrella.Result);
    }

    [Fact]
    public async Task Json_round_trips_the_report()
    {
        var report = await BuildAsync();
        var json = WaveReportJson.Serialize(report);
        var back = WaveReportJson.Deserialize(json);

        Assert.Contains("\"downtimeP95Seconds\": 2000", json, StringComparison.Ordinal);
        Assert.Equal(report.Statistics.DowntimeP50Seconds, back.Statistics.DowntimeP50Seconds);
        Assert.Equal(report.Environments.Select(e => e.Environment), back.Environments.Select(e => e.Environment));
        Assert.Equal(HostileCause, back.Rollbacks[0].Cause);
        Assert.Equal(report.Customers[0].Environments[0].Result, back.Customers[0].Environments[0].Result);
    }
}
