using CutoverEngine.Aws.Resilience;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Steps;

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

    static readonly DateTimeOffset Paused = new(2026, 3, 2, 22, 0, 10, TimeSpan.Zero);

    // What RecordDowntime writes for a 1890 s pause within a 60-minute budget.
    static readonly Downtime AcmeDowntime = new(
        Paused,
        Paused.AddSeconds(1890),
        1890.0,
        1889.6,
        Paused.AddSeconds(1),
        Paused.AddSeconds(1891.2),
        1890.2,
        3600,
        0.525,
        false,
        null
    );

    static CutoverSubject Subject(string environment, string customer) =>
        new()
        {
            EnvironmentId = environment,
            Customer = customer,
            IpStrategy = "elastic-ip",
        };

    static AwsAttemptPayload Attempt(
        string service,
        string operation,
        string account,
        int attempt,
        int status,
        double latencyMs,
        string? errorCode = null,
        AwsFaultClass? fault = null,
        double? nextInMs = null
    ) =>
        new(
            Guid.NewGuid(),
            service,
            operation,
            account,
            attempt,
            fault is null ? "Succeeded" : "Retrying",
            status,
            errorCode,
            errorCode is null ? null : "slow down",
            "req-" + attempt,
            TempJournal.Start,
            latencyMs,
            nextInMs,
            null,
            fault?.ToWireName()
        );

    /// <summary>An entry as the engine writes it: the kind comes from the payload's type.</summary>
    Task<JournalEntry> Write<TPayload>(
        string? environment,
        string? step,
        TPayload payload,
        int afterSeconds = 1,
        string actor = "scheduler"
    )
        where TPayload : IJournalPayload => Append(JournalEvent.Of(payload, actor), environment, step, afterSeconds);

    /// <summary>An entry in a shape an older engine wrote (or none at all), for the tolerance of the readers.</summary>
    Task<JournalEntry> WriteLegacy(
        string @event,
        string? environment,
        string? step,
        object? payload,
        int afterSeconds = 1
    ) => Append(new JournalEvent(@event, "scheduler") { Payload = payload }, environment, step, afterSeconds);

    Task<JournalEntry> Append(JournalEvent e, string? environment, string? step, int afterSeconds) =>
        db.AppendAsync(
            e with
            {
                Wave = Wave,
                Environment = environment,
                WorkflowInstance = environment is null ? null : "wf-" + environment,
                DefinitionId = environment is null ? null : "cutover-elastic-ip",
                DefinitionVersion = environment is null ? null : 4,
                DefinitionHash = environment is null ? null : "9f2c",
                Step = step,
            },
            TimeSpan.FromSeconds(afterSeconds)
        );

    async Task WriteWaveAsync()
    {
        const string acme = "acme-staging";
        const string initech = "initech-dev";
        await Write(
            null,
            null,
            new WaveCreatedPayload([acme, initech], TempJournal.Start.AddDays(8), 2, "as-listed"),
            actor: "cli:alice"
        );
        await Write(
            acme,
            null,
            new CustomerNotifiedPayload("Acme Corp", TempJournal.Start, "notices/acme.eml", false),
            actor: "cli:alice"
        );
        await Write(null, null, new WaveStartedPayload(null, TempJournal.Start.AddSeconds(3)));

        await Write(acme, null, new CutoverStartedPayload(Subject(acme, "Acme Corp")));
        await Write(acme, "preflight", new StepStartedPayload("Preflight", 120));
        await Write(
            acme,
            "preflight",
            new StepCompletedPayload("inventory matches", null, 4200, 4300),
            afterSeconds: 5
        );
        await Write(acme, "repoint-ips", new StepStartedPayload("RepointIps", 600));
        await Write(
            acme,
            "repoint-ips",
            Attempt(
                "Ec2",
                "AssociateAddress",
                "111111111111",
                1,
                400,
                35,
                "RequestLimitExceeded",
                AwsFaultClass.Throttle,
                400
            )
        );
        await Write(acme, "repoint-ips", Attempt("Ec2", "AssociateAddress", "111111111111", 2, 200, 50));
        await Write(
            acme,
            "repoint-ips",
            new StepCompletedPayload("2 addresses moved", null, 11000, 12000),
            afterSeconds: 12
        );
        await Write(
            acme,
            "verify",
            new ChecksPayload(
                1,
                [
                    new(
                        "authoritative-dns",
                        "mta1.acme-mail.example",
                        false,
                        "127.20.1.11",
                        "127.10.1.11",
                        "old answer"
                    ),
                    new("smtp-banner", "127.20.1.11", true, "mta1", "mta1", ""),
                ]
            )
        );
        await Write(
            acme,
            "verify",
            new ChecksPayload(
                2,
                [
                    new("authoritative-dns", "mta1.acme-mail.example", true, "127.20.1.11", "127.20.1.11", ""),
                    new("smtp-banner", "127.20.1.11", true, "mta1", "mta1", ""),
                ]
            )
        );
        await Write(acme, "record-downtime", AcmeDowntime);

        const string cause = "change C123 not INSYNC after 300 s";
        await Write(initech, null, new CutoverStartedPayload(Subject(initech, "Initech")), actor: "cli:bob");
        await Write(initech, "repoint-dns", new StepStartedPayload("RepointDns", 300));
        await Write(
            initech,
            "repoint-dns",
            Attempt(
                "Route53",
                "ChangeResourceRecordSets",
                "222222222222",
                1,
                400,
                20,
                "Throttling",
                AwsFaultClass.Throttle
            )
        );
        await Write(initech, "repoint-dns", new StepFailedPayload(cause, ""), afterSeconds: 300);
        await Write(initech, "repoint-dns", new RollbackStartedPayload(cause, "repoint-dns"));
        await Write(
            initech,
            "resume-sending-on-old",
            new LeaseRenewalFailedPayload("sending control did not answer", null)
        );
        await Write(
            initech,
            "record-incident",
            new IncidentPayload(
                CutoverOutcomes.RolledBack,
                cause,
                "repoint-dns",
                ["DNS change timed out"],
                new Downtime(
                    Paused,
                    Paused.AddSeconds(420),
                    420.0,
                    null,
                    Paused,
                    Paused.AddSeconds(421.5),
                    421.5,
                    3600,
                    420.0 / 3600,
                    false,
                    null
                )
            )
        );
        await Write(null, null, new WaveStoppedPayload("initech-dev rolled back"), actor: "cli:alice");
    }

    JournalHistoryReader Reader() => new(db.Journal) { PageSize = 4 };

    [Fact]
    public async Task Completed_environment_has_its_outcome_downtime_steps_and_last_checks()
    {
        await WriteWaveAsync();

        var acme = (await Reader().ReadEnvironmentAsync("acme-staging"))!;

        Assert.Equal(CutoverOutcomes.Completed, acme.Outcome);
        Assert.Equal("Acme Corp", acme.Customer);
        Assert.Contains("acme-staging", acme.Subject);
        Assert.Equal("scheduler", acme.StartedBy);
        Assert.Equal(Wave, acme.Wave);
        Assert.Equal(
            ("wf-acme-staging", "cutover-elastic-ip", 4, "9f2c"),
            (acme.WorkflowInstance, acme.DefinitionId, acme.DefinitionVersion, acme.DefinitionHash)
        );
        Assert.Equal(1, acme.Attempts);
        Assert.Equal(1890.0, acme.Downtime!.DowntimeSeconds);
        Assert.Equal(1889.6, acme.Downtime.MonotonicSeconds);
        Assert.Equal(1890.2, acme.Downtime.SendingGapSeconds);
        Assert.Equal(Paused, acme.Downtime.PausedAt);
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
        Assert.Equal(
            new CheckResult("authoritative-dns", "mta1.acme-mail.example", true, "127.20.1.11", "127.20.1.11", ""),
            acme.LastChecks[0]
        );

        Assert.Equal(
            new AwsActivity
            {
                Attempts = 2,
                Retries = 1,
                Throttles = 1,
                Errors = 1,
                TotalLatencyMilliseconds = 85,
            },
            acme.Aws
        );
        Assert.Null(acme.Rollback);
        Assert.Null(acme.Incident);
    }

    [Fact]
    public async Task Rolled_back_environment_has_its_incident_rollback_cause_and_failed_step()
    {
        await WriteWaveAsync();

        var initech = (await Reader().ReadEnvironmentAsync("initech-dev"))!;

        Assert.Equal(CutoverOutcomes.RolledBack, initech.Outcome);
        Assert.Equal("cli:bob", initech.StartedBy);
        Assert.Equal(
            new RollbackRecord(initech.Rollback!.At, "change C123 not INSYNC after 300 s", "repoint-dns"),
            initech.Rollback
        );
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

        Assert.Equal(
            [
                WaveCreatedPayload.Event,
                CustomerNotifiedPayload.Event,
                WaveStartedPayload.Event,
                WaveStoppedPayload.Event,
            ],
            wave.Events.Select(e => e.Event)
        );
        Assert.Equal("cli:alice", wave.Events[0].Actor);
        Assert.Equal("stopped: initech-dev rolled back", wave.Events[^1].Summary);
        Assert.Equal(["acme-staging", "initech-dev"], wave.Environments.Select(e => e.Environment));
        Assert.Equal(1, wave.Outcomes[CutoverOutcomes.Completed]);
        Assert.Equal(1, wave.Outcomes[CutoverOutcomes.RolledBack]);
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
        await Write(env, null, new CutoverStartedPayload(Subject(env, "Globex (first try)")));
        await Write(env, "preflight", new StepStartedPayload("Preflight", 120));
        await Write(env, "preflight", new StepFailedPayload("TTL 3600 s", null));
        await Write(env, null, new CutoverStartedPayload(Subject(env, "Globex (second try)")), afterSeconds: 86_400);
        await Write(env, "pause-sending", new StepStartedPayload("PauseSending", 60));
        await Write(env, "pause-sending", new StepFailedPayload("control did not answer", null), afterSeconds: 3);
        await Write(env, "pause-sending", new StepStartedPayload("PauseSending", 60), afterSeconds: 60);
        await Write(env, "pause-sending", new StepCompletedPayload("paused", null, 1800, 2000), afterSeconds: 2);
        await Write(env, "repoint-ips", new StepStartedPayload("RepointIps", 900));

        var history = (await Reader().ReadEnvironmentAsync(env))!;

        Assert.Equal(2, history.Attempts);
        Assert.Equal("Globex (second try)", history.Customer);
        Assert.Equal(CutoverOutcomes.Failed, history.Outcome); // a step failed and no incident closed it yet
        Assert.Equal(
            [(StepStates.Failed, 3.0), (StepStates.Completed, 2.0)],
            history.Steps.Where(s => s.Step == "pause-sending").Select(s => (s.State, s.Duration!.Value.TotalSeconds))
        );
        Assert.Equal(StepStates.Running, history.Steps[^1].State);
        Assert.Null(history.Steps[^1].Duration);
    }

    [Fact]
    public async Task An_unfinished_cutover_is_in_progress()
    {
        await Write("hooli-dev", null, new CutoverStartedPayload(Subject("hooli-dev", "Hooli")));
        await Write("hooli-dev", "preflight", new StepStartedPayload("Preflight", 120));

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
    public async Task A_recorded_fault_class_decides_what_counts_as_a_throttle()
    {
        await Write("hooli-dev", null, new CutoverStartedPayload(Subject("hooli-dev", "Hooli")));
        // The classifier at write time said transient, whatever the code looks like to a reader.
        await Write(
            "hooli-dev",
            "repoint-dns",
            Attempt("Route53", "GetChange", "1", 1, 400, 5, "Throttling", AwsFaultClass.Transient)
        );
        await Write(
            "hooli-dev",
            "repoint-dns",
            Attempt("Route53", "GetChange", "1", 2, 503, 5, "ServiceUnavailable", AwsFaultClass.Throttle)
        );

        var aws = (await Reader().ReadEnvironmentAsync("hooli-dev"))!.Aws;

        Assert.Equal((2, 1, 2), (aws.Attempts, aws.Throttles, aws.Errors));
    }

    [Fact]
    public async Task An_attempt_written_before_the_fault_class_was_recorded_is_classified_by_the_engine_classifier()
    {
        await Write("hooli-dev", null, new CutoverStartedPayload(Subject("hooli-dev", "Hooli")));
        // Older entries carry no faultClass; EC2ThrottledException is a throttle by AwsFaultClassifier's one list.
        await WriteLegacy(
            AwsAttemptPayload.Event,
            "hooli-dev",
            "repoint-ips",
            new
            {
                service = "Ec2",
                operation = "AssociateAddress",
                attempt = 1,
                httpStatus = 400,
                errorCode = "EC2ThrottledException",
                latencyMs = 9,
            }
        );
        await WriteLegacy(
            AwsAttemptPayload.Event,
            "hooli-dev",
            "repoint-ips",
            new
            {
                service = "Ec2",
                operation = "AssociateAddress",
                attempt = 2,
                httpStatus = 400,
                errorCode = "InvalidAllocationID.NotFound",
                latencyMs = 9,
            }
        );

        var aws = (await Reader().ReadEnvironmentAsync("hooli-dev"))!.Aws;

        Assert.Equal((2, 1, 2), (aws.Attempts, aws.Throttles, aws.Errors));
    }

    [Fact]
    public void Summaries_say_what_the_payload_tells()
    {
        static JournalEntry Entry(string @event, string payload) =>
            new()
            {
                Event = @event,
                Payload = payload,
                PayloadHash = SqliteJournal.HashOf(payload),
            };

        Assert.Equal(
            "inventory matches 4200 ms",
            JournalEntrySummary.Describe(Entry("step-completed", """{"summary":"inventory matches","ms":4200}"""))
        );
        Assert.Equal(
            "rolled-back: DNS timeout (at repoint-dns); downtime 420 s (sending gap 421.5 s)",
            JournalEntrySummary.Describe(
                Entry(
                    "incident",
                    """{"outcome":"rolled-back","cause":"DNS timeout","atStep":"repoint-dns","downtime":{"downtimeSeconds":420,"sendingGapSeconds":421.5}}"""
                )
            )
        );
        Assert.Equal(
            "downtime 1890 s (sending gap 1890.2 s) 52.5% of budget",
            JournalEntrySummary.Describe(
                Entry(
                    "downtime-recorded",
                    """{"downtimeSeconds":1890,"sendingGapSeconds":1890.2,"windowBudgetUsed":0.525}"""
                )
            )
        );
        Assert.Equal(
            "round 1: 1/2 passed; failed: authoritative-dns mta1",
            JournalEntrySummary.Describe(
                Entry(
                    "checks",
                    """{"round":1,"results":[{"check":"authoritative-dns","subject":"mta1","passed":false},{"check":"smtp","passed":true}]}"""
                )
            )
        );
        Assert.Equal(
            "(payload pruned)",
            JournalEntrySummary.Describe(
                new JournalEntry { Event = "step-failed", PayloadHash = SqliteJournal.HashOf("{}") }
            )
        );
        Assert.Equal(
            "",
            JournalEntrySummary.Describe(
                new JournalEntry { Event = "lease-renewal-failed", PayloadHash = SqliteJournal.HashOf("") }
            )
        );
    }
}
