using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Tests.Audit;

/// <summary>
/// A synthetic wave of two environments: acme-staging moves (with a throttled AWS call and a check that passes on
/// the second round), initech-dev fails at DNS and rolls back.
/// </summary>
public sealed class JournalHistoryReaderTests : IDisposable
{
    const string Wave = "wave-2026-03";
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    static readonly object Downtime = new
    {
        pausedAt = "2026-03-02T22:00:10Z", resumedAt = "2026-03-02T22:31:40Z", downtimeSeconds = 1890.0, monotonicSeconds = 1889.6,
        sendingPausedAt = "2026-03-02T22:00:11Z", sendingResumedAt = "2026-03-02T22:31:41Z", sendingGapSeconds = 1890.2,
        windowBudgetSeconds = 3600, windowBudgetUsed = 0.525, measurementsDisagree = false, disagreement = (string?)null,
    };

    Task<JournalEntry> Write(string @event, string? environment, string? step, object? payload, int afterSeconds = 1, string actor = "scheduler") =>
        db.AppendAsync(new JournalEvent(@event, actor)
        {
            Wave = Wave,
            Environment = environment,
            WorkflowInstance = environment is null ? null : "wf-" + environment,
            DefinitionId = environment is null ? null : "cutover-elastic-ip",
            DefinitionVersion = environment is null ? null : 4,
            DefinitionHash = environment is null ? null : "9f2c",
            Step = step,
            Payload = payload,
        }, TimeSpan.FromSeconds(afterSeconds));

    async Task WriteWaveAsync()
    {
        await Write(JournalEventNames.WaveCreated, null, null, new { summary = "3 staging environments" }, actor: "cli:alice");
        await Write(JournalEventNames.NoticeRecorded, "acme-staging", null, new { summary = "notified 8 days ahead" }, actor: "cli:alice");
        await Write(JournalEventNames.WaveStarted, null, null, null);

        const string acme = "acme-staging";
        await Write(JournalEventNames.CutoverStarted, acme, null, new { subject = "Acme Corp staging" });
        await Write(JournalEventNames.StepStarted, acme, "preflight", new { kind = "preflight", timeoutSeconds = 120 });
        await Write(JournalEventNames.StepCompleted, acme, "preflight", new { summary = "inventory matches", ms = 4200 }, afterSeconds: 5);
        await Write(JournalEventNames.StepStarted, acme, "repoint-ips", new { kind = "repoint-ips", timeoutSeconds = 600 });
        await Write(JournalEventNames.AwsAttempt, acme, "repoint-ips", new { service = "ec2", operation = "AssociateAddress", account = "111111111111", attempt = 1, httpStatus = 400, errorCode = "RequestLimitExceeded", latencyMs = 35, delayBeforeNextMs = 400, outcome = "retry" });
        await Write(JournalEventNames.AwsAttempt, acme, "repoint-ips", new { service = "ec2", operation = "AssociateAddress", account = "111111111111", attempt = 2, httpStatus = 200, latencyMs = 50, outcome = "succeeded" });
        await Write(JournalEventNames.StepCompleted, acme, "repoint-ips", new { summary = "2 addresses moved", ms = 11000 }, afterSeconds: 12);
        await Write(JournalEventNames.Checks, acme, "verify", new { round = 1, results = new object[]
        {
            new { check = "authoritative-dns", subject = "mta1.acme-mail.example", passed = false, expected = "127.20.1.11", observed = "127.10.1.11", detail = "old answer" },
            new { check = "smtp-banner", subject = "127.20.1.11", passed = true, expected = "mta1", observed = "mta1", detail = "" },
        } });
        await Write(JournalEventNames.Checks, acme, "verify", new { round = 2, results = new object[]
        {
            new { check = "authoritative-dns", subject = "mta1.acme-mail.example", passed = true, expected = "127.20.1.11", observed = "127.20.1.11", detail = "" },
            new { check = "smtp-banner", subject = "127.20.1.11", passed = true, expected = "mta1", observed = "mta1", detail = "" },
        } });
        await Write(JournalEventNames.DowntimeRecorded, acme, null, Downtime);

        const string initech = "initech-dev";
        await Write(JournalEventNames.CutoverStarted, initech, null, new { subject = "Initech dev" }, actor: "cli:bob");
        await Write(JournalEventNames.StepStarted, initech, "repoint-dns", new { kind = "repoint-dns", timeoutSeconds = 300 });
        await Write(JournalEventNames.AwsAttempt, initech, "repoint-dns", new { service = "route53", operation = "ChangeResourceRecordSets", account = "222222222222", attempt = 1, httpStatus = 400, errorCode = "Throttling", latencyMs = 20, outcome = "retry" });
        await Write(JournalEventNames.StepFailed, initech, "repoint-dns", new { cause = "change C123 not INSYNC after 300 s", output = "" }, afterSeconds: 300);
        await Write(JournalEventNames.RollbackStarted, initech, "rollback", new { cause = "change C123 not INSYNC after 300 s", step = "repoint-dns" });
        await Write(JournalEventNames.LeaseRenewalFailed, initech, null, null);
        await Write(JournalEventNames.Incident, initech, "rollback", new { outcome = "rolled-back", cause = "change C123 not INSYNC after 300 s", atStep = "repoint-dns", problems = new[] { "DNS change timed out" }, downtime = new { downtimeSeconds = 420.0, sendingGapSeconds = 421.5, measurementsDisagree = false } });
        await Write(JournalEventNames.WaveStopped, null, null, new { reason = "initech-dev rolled back" }, actor: "cli:alice");
    }

    JournalHistoryReader Reader() => new(db.Journal) { PageSize = 4 };

    [Fact]
    public async Task Completed_environment_has_its_outcome_downtime_steps_and_last_checks()
    {
        await WriteWaveAsync();

        var acme = (await Reader().ReadEnvironmentAsync("acme-staging"))!;

        Assert.Equal(CutoverOutcomes.Completed, acme.Outcome);
        Assert.Equal("Acme Corp staging", acme.Subject);
        Assert.Equal("scheduler", acme.StartedBy);
        Assert.Equal(Wave, acme.Wave);
        Assert.Equal(("wf-acme-staging", "cutover-elastic-ip", 4, "9f2c"), (acme.WorkflowInstance, acme.DefinitionId, acme.DefinitionVersion, acme.DefinitionHash));
        Assert.Equal(1, acme.Attempts);
        Assert.Equal(1890.0, acme.Downtime!.DowntimeSeconds);
        Assert.Equal(1889.6, acme.Downtime.MonotonicSeconds);
        Assert.Equal(1890.2, acme.Downtime.SendingGapSeconds);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 22, 0, 10, TimeSpan.Zero), acme.Downtime.PausedAt);
        Assert.Equal(0.525, acme.Downtime.WindowBudgetUsed);
        Assert.NotNull(acme.FinishedAt);

        Assert.Equal(["preflight", "repoint-ips"], acme.Steps.Select(s => s.Step));
        var preflight = acme.Steps[0];
        Assert.Equal(StepStates.Completed, preflight.State);
        Assert.Equal(TimeSpan.FromSeconds(5), preflight.Duration);
        Assert.Equal(4200, preflight.ReportedMilliseconds);
        Assert.Equal(120, preflight.TimeoutSeconds);
        Assert.Equal("inventory matches", preflight.Summary);
        Assert.Equal(TimeSpan.FromSeconds(14), acme.Steps[1].Duration);

        Assert.Equal(2, acme.LastCheckRound);
        Assert.All(acme.LastChecks, c => Assert.True(c.Passed));
        Assert.Equal(new CheckResult("authoritative-dns", "mta1.acme-mail.example", true, "127.20.1.11", "127.20.1.11", ""), acme.LastChecks[0]);

        Assert.Equal(new AwsActivity { Attempts = 2, Retries = 1, Throttles = 1, Errors = 1, TotalLatencyMilliseconds = 85 }, acme.Aws);
        Assert.Null(acme.Rollback);
        Assert.Null(acme.Incident);
    }

    [Fact]
    public async Task Rolled_back_environment_has_its_incident_rollback_cause_and_failed_step()
    {
        await WriteWaveAsync();

        var initech = (await Reader().ReadEnvironmentAsync("initech-dev"))!;

        Assert.Equal("rolled-back", initech.Outcome);
        Assert.Equal("cli:bob", initech.StartedBy);
        Assert.Equal(new RollbackRecord(initech.Rollback!.At, "change C123 not INSYNC after 300 s", "repoint-dns"), initech.Rollback);
        Assert.Equal("repoint-dns", initech.Incident!.AtStep);
        Assert.Equal(["DNS change timed out"], initech.Incident.Problems);
        Assert.Equal(420.0, initech.Downtime!.DowntimeSeconds);
        Assert.Equal(421.5, initech.Downtime.SendingGapSeconds);
        var step = Assert.Single(initech.Steps);
        Assert.Equal(StepStates.Failed, step.State);
        Assert.Equal("change C123 not INSYNC after 300 s", step.Cause);
        Assert.Equal(TimeSpan.FromSeconds(301), step.Duration);
        Assert.Equal(1, initech.Aws.Throttles);
        Assert.Equal(0, initech.Aws.Retries);
        Assert.Equal(1, initech.LeaseRenewalFailures);
        Assert.Equal(0, initech.PrunedEntries);
    }

    [Fact]
    public async Task Wave_history_has_its_own_events_and_every_environment()
    {
        await WriteWaveAsync();

        var wave = (await Reader().ReadWaveAsync(Wave))!;

        Assert.Equal([JournalEventNames.WaveCreated, JournalEventNames.NoticeRecorded, JournalEventNames.WaveStarted, JournalEventNames.WaveStopped], wave.Events.Select(e => e.Event));
        Assert.Equal("cli:alice", wave.Events[0].Actor);
        Assert.Equal("initech-dev rolled back", wave.Events[^1].Summary);
        Assert.Equal(["acme-staging", "initech-dev"], wave.Environments.Select(e => e.Environment));
        Assert.Equal(1, wave.Outcomes[CutoverOutcomes.Completed]);
        Assert.Equal(1, wave.Outcomes["rolled-back"]);
        Assert.True(wave.FirstEntryAt < wave.LastEntryAt);
    }

    [Fact]
    public async Task Unknown_environment_or_wave_has_no_history()
    {
        await WriteWaveAsync();

        Assert.Null(await Reader().ReadEnvironmentAsync("nobody"));
        Assert.Null(await Reader().ReadWaveAsync("wave-never"));
    }

    [Fact]
    public async Task A_retried_step_shows_each_run_and_a_later_cutover_replaces_an_earlier_one()
    {
        const string env = "globex-stage";
        await Write(JournalEventNames.CutoverStarted, env, null, new { subject = "first try" });
        await Write(JournalEventNames.StepStarted, env, "preflight", new { kind = "preflight" });
        await Write(JournalEventNames.StepFailed, env, "preflight", new { cause = "TTL 3600 s" });
        await Write(JournalEventNames.CutoverStarted, env, null, new { subject = "second try" }, afterSeconds: 86_400);
        await Write(JournalEventNames.StepStarted, env, "pause-sending", new { kind = "pause-sending" });
        await Write(JournalEventNames.StepFailed, env, "pause-sending", new { cause = "control did not answer" }, afterSeconds: 3);
        await Write(JournalEventNames.StepStarted, env, "pause-sending", new { kind = "pause-sending" }, afterSeconds: 60);
        await Write(JournalEventNames.StepCompleted, env, "pause-sending", new { summary = "paused" }, afterSeconds: 2);
        await Write(JournalEventNames.StepStarted, env, "repoint-ips", new { kind = "repoint-ips" });

        var history = (await Reader().ReadEnvironmentAsync(env))!;

        Assert.Equal(2, history.Attempts);
        Assert.Equal("second try", history.Subject);
        Assert.Equal(CutoverOutcomes.Failed, history.Outcome); // a step failed and no incident closed it yet
        Assert.Equal([(StepStates.Failed, 3.0), (StepStates.Completed, 2.0)],
            history.Steps.Where(s => s.Step == "pause-sending").Select(s => (s.State, s.Duration!.Value.TotalSeconds)));
        Assert.Equal(StepStates.Running, history.Steps[^1].State);
        Assert.Null(history.Steps[^1].Duration);
    }

    [Fact]
    public async Task An_unfinished_cutover_is_in_progress()
    {
        await Write(JournalEventNames.CutoverStarted, "hooli-dev", null, new { subject = "Hooli" });
        await Write(JournalEventNames.StepStarted, "hooli-dev", "preflight", new { kind = "preflight" });

        Assert.Equal(CutoverOutcomes.InProgress, (await Reader().ReadEnvironmentAsync("hooli-dev"))!.Outcome);
    }

    [Fact]
    public async Task Pruned_payloads_are_counted_and_the_history_keeps_what_the_fields_tell()
    {
        await WriteWaveAsync();
        await new JournalRetention(db.Path, db.Clock).PruneBeforeAsync(db.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));

        var acme = (await Reader().ReadEnvironmentAsync("acme-staging"))!;

        Assert.Equal(10, acme.PrunedEntries); // the cutover's entries; the notice before it is not part of the attempt
        Assert.Equal(["preflight", "repoint-ips"], acme.Steps.Select(s => s.Step));
        Assert.Equal(CutoverOutcomes.InProgress, acme.Outcome); // the downtime record's details are gone
        Assert.Equal("scheduler", acme.StartedBy);
    }

    [Fact]
    public void Summaries_say_what_the_payload_tells()
    {
        static JournalEntry Entry(string @event, string payload) => new() { Event = @event, Payload = payload, PayloadHash = SqliteJournal.HashOf(payload) };

        Assert.Equal("inventory matches 4200 ms", JournalEntrySummary.Describe(Entry("step-completed", """{"summary":"inventory matches","ms":4200}""")));
        Assert.Equal("rolled-back: DNS timeout (at repoint-dns); downtime 420 s (sending gap 421.5 s)",
            JournalEntrySummary.Describe(Entry("incident", """{"outcome":"rolled-back","cause":"DNS timeout","atStep":"repoint-dns","downtime":{"downtimeSeconds":420,"sendingGapSeconds":421.5}}""")));
        Assert.Equal("downtime 1890 s (sending gap 1890.2 s) 52.5% of budget",
            JournalEntrySummary.Describe(Entry("downtime-recorded", """{"downtimeSeconds":1890,"sendingGapSeconds":1890.2,"windowBudgetUsed":0.525}""")));
        Assert.Equal("round 1: 1/2 passed; failed: authoritative-dns mta1",
            JournalEntrySummary.Describe(Entry("checks", """{"round":1,"results":[{"check":"authoritative-dns","subject":"mta1","passed":false},{"check":"smtp","passed":true}]}""")));
        Assert.Equal("(payload pruned)", JournalEntrySummary.Describe(new JournalEntry { Event = "step-failed", PayloadHash = SqliteJournal.HashOf("{}") }));
        Assert.Equal("", JournalEntrySummary.Describe(new JournalEntry { Event = "lease-renewal-failed", PayloadHash = SqliteJournal.HashOf("") }));
    }
}
