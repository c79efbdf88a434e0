using CutoverEngine.Aws.Resilience;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Steps;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Engine.Tests.Audit;

namespace CutoverEngine.Engine.Tests.Reports;

/// <summary>
/// A synthetic wave written with the engine's own payload types: Acme's two environments
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

    Task<JournalEntry> Write<TPayload>(string? environment, string? step, TPayload payload, int afterSeconds = 1)
        where TPayload : IJournalPayload =>
        db.AppendAsync(
            JournalEvent.Of(payload, "scheduler") with
            {
                Wave = Wave,
                Environment = environment,
                WorkflowInstance = environment is null ? null : "wf-" + environment,
                Step = step,
            },
            TimeSpan.FromSeconds(afterSeconds)
        );

    static CutoverStartedPayload Started(string environment, string customer) =>
        new(
            new CutoverSubject
            {
                EnvironmentId = environment,
                Customer = customer,
                Tier = "staging",
            }
        );

    // As Downtime.Of computes it for a 60-minute budget: the measurements disagree beyond its tolerance.
    static Downtime Measured(DateTimeOffset paused, double seconds, double gap)
    {
        var disagree = Math.Abs(seconds - gap) > Downtime.Tolerance.TotalSeconds;
        return new Downtime(
            paused,
            paused.AddSeconds(seconds),
            seconds,
            seconds,
            paused,
            paused.AddSeconds(gap),
            gap,
            3600.0,
            seconds / 3600,
            disagree,
            disagree ? $"the engine measured {seconds:0.0} s but the sending side reports a gap of {gap:0.0} s" : null
        );
    }

    static AwsAttemptPayload Attempt(
        string service,
        string operation,
        int attempt,
        int status,
        double latencyMs,
        string? errorCode = null
    ) =>
        new(
            Guid.NewGuid(),
            service,
            operation,
            "111111111111",
            attempt,
            errorCode is null ? "Succeeded" : "Retrying",
            status,
            errorCode,
            null,
            null,
            TempJournal.Start,
            latencyMs,
            null,
            null,
            errorCode is null
                ? null
                : AwsFaultClassifier.ClassOf(AwsFaultClassifier.ClassifyAnswer(errorCode, status)).ToWireName()
        );

    async Task<WaveReport> BuildAsync()
    {
        await Write(null, null, new WaveStartedPayload(null, TempJournal.Start));

        const string acme = "acme-staging";
        await Write(acme, null, Started(acme, "Acme Corp"));
        await Write(acme, "pause-sending", new StepStartedPayload("PauseSending", 60.0));
        await Write(acme, "pause-sending", new StepCompletedPayload("paused", null, 800.0, 1000.0));
        await Write(acme, "repoint-ips", new StepStartedPayload("RepointIps", 600.0), afterSeconds: 2);
        await Write(acme, "repoint-ips", Attempt("Ec2", "AssociateAddress", 1, 503, 30.0, "RequestLimitExceeded"));
        await Write(acme, "repoint-ips", Attempt("Ec2", "AssociateAddress", 2, 200, 40.0));
        await Write(
            acme,
            "repoint-ips",
            new StepCompletedPayload("2 addresses moved", null, 9000.0, 12000.0),
            afterSeconds: 10
        );
        await Write(
            acme,
            "verify",
            new ChecksPayload(
                1,
                [new("authoritative-dns", "mta1.acme.example", false, "127.20.1.11", "127.10.1.11", "old answer")]
            )
        );
        await Write(
            acme,
            "verify",
            new ChecksPayload(
                2,
                [new("authoritative-dns", "mta1.acme.example", true, "127.20.1.11", "127.20.1.11", "")]
            )
        );
        await Write(acme, "record-downtime", Measured(TempJournal.Start.AddMinutes(1), 1890, 1899));

        await Write("acme-prod", null, Started("acme-prod", "Acme Corp"));
        await Write("acme-prod", "record-downtime", Measured(TempJournal.Start.AddHours(1), 200, 200.5));

        for (var i = 3; i <= 21; i++)
        {
            var environment = $"filler-{i:00}";
            await Write(environment, null, Started(environment, "Globex"));
            await Write(environment, "record-downtime", Measured(TempJournal.Start.AddHours(2), i * 100, i * 100));
        }

        await Write(Hostile, null, Started(Hostile, "Umbrella <Corp>"));
        await Write(Hostile, "repoint-dns", new StepStartedPayload("RepointDns", 300.0));
        await Write(Hostile, "repoint-dns", Attempt("Route53", "ChangeResourceRecordSets", 1, 400, 20.0, "Throttling"));
        await Write(Hostile, "repoint-dns", Attempt("Route53", "ChangeResourceRecordSets", 2, 200, 20.0));
        await Write(Hostile, "repoint-dns", new StepFailedPayload(HostileCause, ""), afterSeconds: 300);
        await Write(Hostile, "repoint-dns", new RollbackStartedPayload(HostileCause, "repoint-dns"));
        await Write(
            Hostile,
            "record-incident",
            new IncidentPayload(
                CutoverOutcomes.RolledBack,
                HostileCause,
                "repoint-dns",
                [],
                Measured(TempJournal.Start.AddHours(3), 420, 421)
            )
        );

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
        // rank ceil(10.5) = 11 of [200, 300, ..., 1800, 1890, 1900, 2000, 2100]
        Assert.Equal(1200, s.DowntimeP50Seconds);
        Assert.Equal(2000, s.DowntimeP95Seconds); // rank ceil(19.95) = 20
        Assert.Equal(2100, s.DowntimeMaxSeconds);
        Assert.Equal(4, s.Over30Minutes); // 1890, 1900, 2000, 2100
        Assert.Equal(0, s.Over60Minutes);
        Assert.Equal(1, s.Rollbacks);
        Assert.Equal(21, s.Outcomes[CutoverOutcomes.Completed]);
        Assert.Equal(1, s.Outcomes[CutoverOutcomes.RolledBack]);
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
