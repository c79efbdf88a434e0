using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Steps;
using CutoverEngine.Engine.Finalisation;
using CutoverEngine.Engine.Preparation;

namespace CutoverEngine.Engine.Tests.Audit;

/// <summary>One event of every kind the engine writes, built from the engine's own payload types.</summary>
internal static class JournalEventSamples
{
    static readonly DateTimeOffset At = TempJournal.Start;

    static readonly Downtime Downtime = new(
        At,
        At.AddSeconds(90),
        90,
        89.8,
        At,
        At.AddSeconds(91),
        91,
        3600,
        0.025,
        false,
        null
    );

    public static IReadOnlyList<JournalEvent> All { get; } =
    [
        Of(new WaveCreatedPayload(["acme-stg"], At.AddDays(8), 1, "as-listed")),
        Of(new WaveScheduledPayload(At.AddDays(8), null, null)),
        Of(new WaveRescheduledPayload(At.AddDays(9), At.AddDays(8), "customer asked for Tuesday")),
        Of(new CustomerNotifiedPayload("Acme Corp", At, "notices/acme-stg.eml", false), "acme-stg"),
        Of(
            new EnvironmentMovedPayload("wave-0", "wave-1", "the customer asked for a weekend", At.AddDays(9)),
            "acme-stg"
        ),
        Of(new CustomerRemindedPayload("Acme Corp", At.AddDays(8), At.AddDays(6)), "acme-stg"),
        Of(new InvitationCancelledPayload("Acme Corp", 2, "moved to wave w2", At.AddDays(1)), "acme-stg"),
        Of(
            new EnvironmentPreparedPayload(
                [new TtlLowering("mta1.stg.acme-mail.example", "A", 3600, 60, true)],
                new SpfPreparation(
                    "stg.acme-mail.example",
                    "v=spf1 ip4:127.10.1.0/24 -all",
                    "v=spf1 ip4:127.10.1.0/24 ip4:127.20.1.11 -all",
                    ["ip4:127.20.1.11"],
                    null,
                    true
                )
            ),
            "acme-stg"
        ),
        Of(
            new ReadinessCheckedPayload(
                false,
                [new ReadinessReason("blocklisted", "127.20.1.11 is listed on zen.spamhaus.org (127.0.0.2)")],
                ["1 new sending address(es): new IPs need weeks of reputation warm-up before full volume"],
                [new ReadinessFigure("blocklist", "127.20.1.11 on zen.spamhaus.org", false, "Listed: 127.0.0.2")]
            ),
            "acme-stg"
        ),
        Of(new EnvironmentDroppedPayload("not prepared and ready", ["acme-stg: 127.20.1.11 is listed"]), "acme-stg"),
        Of(
            new WaveStartRefusedPayload(
                At.AddDays(8),
                [new PolicyViolation("acme-prod", "prepare", "acme-prod: not prepared")]
            )
        ),
        Of(new WaveNoticesFailedPayload("schedule", "acme-prod", "relay r:25 refused the notice: 554", ["acme-stg"])),
        Of(
            new WavePolicyOverriddenPayload(
                "start",
                "approved by the customer",
                At,
                [new PolicyViolation("acme-stg", "notice", "notified 2 days ahead, 7 required")]
            )
        ),
        Of(new WaveMissedPayload(At.AddDays(9), At.AddDays(10), "00:15:00")),
        Of(new WaveBlockedPayload(At.AddDays(9), At.AddDays(9), ["1 more production approval"])),
        Of(
            new WaveApprovedPayload(
                "alice",
                "change CHG-1 reviewed",
                "acme-prod|tier|1|2026-01-10T08:00:00.0000000+00:00",
                1,
                2
            )
        ),
        Of(new WaveApprovalRevokedPayload("alice", "customer asked to wait", 1, 0, 2)),
        Of(new WaveApprovalNeededPayload(At.AddDays(9), ["2 more production approval(s)"], 0, 2)),
        Of(new WaveStartedPayload(At.AddDays(9), At.AddDays(9))),
        Of(
            new CutoverStartedPayload(
                new CutoverSubject
                {
                    EnvironmentId = "acme-stg",
                    Customer = "Acme Corp",
                    IpStrategy = "elastic-ip",
                }
            ),
            "acme-stg"
        ),
        Of(new StepStartedPayload("RepointIps", 900), "acme-stg"),
        Of(
            new AwsAttemptPayload(
                Guid.NewGuid(),
                "Ec2",
                "AssociateAddress",
                "111111111111",
                1,
                "Retrying",
                400,
                "RequestLimitExceeded",
                "slow down",
                "req-1",
                At,
                12,
                500,
                null,
                "throttle"
            ),
            "acme-stg"
        ),
        Of(new StepAttemptFailedPayload(1, 6, "AwsServiceException: RequestLimitExceeded", 500), "acme-stg"),
        Of(new StepCompletedPayload("2 Elastic IPs associated", null, 800, 1300), "acme-stg"),
        Of(new CutoverHeldPayload("Safety:MaxPausedEnvironments", 2, null, ["acme-dev", "hooli-dev"], At), "acme-stg"),
        Of(
            new AdmissionWaitedPayload(
                At,
                At.AddSeconds(2),
                At.AddSeconds(1),
                At.AddSeconds(1),
                1,
                0,
                "route53",
                false,
                "Z1"
            ),
            "acme-stg"
        ),
        Of(new LeaseRenewalFailedPayload("sending control did not answer", At.AddMinutes(10)), "acme-stg"),
        Of(new RangeGroupCutoverStartedPayload("acme-shared", "127.30.4.0/24", ["acme-stg", "globex-dev"]), "acme-stg"),
        Of(
            new EnvironmentFinalisedPayload(
                "e2e/acme-stg",
                [new TtlRestore("mta1.stg.acme-mail.example", "A", 60, 3600, true, null)],
                new SpfCleanUp(
                    "stg.acme-mail.example",
                    "v=spf1 ip4:127.10.1.11 ip4:127.20.1.11 -all",
                    "v=spf1 ip4:127.20.1.11 -all",
                    ["ip4:127.10.1.11"],
                    [],
                    null,
                    true
                ),
                null,
                [new OldAddress("127.10.1.11", "mta1.stg.acme-mail.example", null)],
                null
            ),
            "acme-stg"
        ),
        Of(new FinaliseBlockedPayload("e2e/acme-stg", "cutover e2e/acme-stg-2 is in flight"), "acme-stg"),
        Of(new RevertStartedPayload("e2e/acme-stg", At.AddDays(-1), "customer reports bounces from AWS"), "acme-stg"),
        Of(
            new SendingResumedByLeaseExpiryPayload(At, At.AddMinutes(10), At.AddMinutes(10), "ResumeSending"),
            "acme-stg"
        ),
        Of(
            new IdentityMismatchPayload(
                "111111111111",
                "222222222222",
                "arn:aws:sts::222222222222:assumed-role/r/s",
                "identity mismatch: the credentials configured for AWS account 111111111111 act in account 222222222222"
            ),
            "acme-stg"
        ),
        Of(
            new ChecksPayload(1, [new("smtp-banner", "127.20.1.11", false, "mta1", "nothing", "timed out")]),
            "acme-stg"
        ),
        Of(new WindowBudgetWarningPayload(At, 3600, 2880, 0.8), "acme-stg"),
        Of(new StepFailedPayload("verification failing: smtp-banner", null), "acme-stg"),
        Of(new RollbackStartedPayload("verification failing: smtp-banner", "verify"), "acme-stg"),
        Of(
            new OtherFunctionAffectedPayload(
                "api",
                "http://127.0.0.1:8080/api",
                "answered 503, expected 200",
                At.AddSeconds(5),
                At
            ),
            "acme-stg"
        ),
        Of(
            new OtherFunctionsProbedPayload(
                At,
                At.AddSeconds(90),
                5,
                [new("api", "http://127.0.0.1:8080/api", true, 18, 3, 1.5, 4.25, true, "answered 503, expected 200")]
            ),
            "acme-stg"
        ),
        Of(
            new BlastRadiusCheckedPayload(
                14,
                6,
                ["mta1.stg.acme-mail.example A", "eipalloc-0e0000000000010"],
                [new("record", "www.acme-mail.example TXT", "(absent)", "ttl 300 [\"changed\"]")],
                null
            ),
            "acme-stg"
        ),
        Of(Downtime, "acme-stg"),
        Of(
            new IncidentPayload(
                CutoverOutcomes.RolledBack,
                "verification failing: smtp-banner",
                "verify",
                [],
                Downtime
            ),
            "acme-stg"
        ),
        Of(
            new RollbackStuckPayload(
                "restore-ips",
                "OperationNotPermitted: refused",
                true,
                "sending stays paused (lease renewed) because ...",
                At,
                At.AddMinutes(60),
                false,
                new RollbackLeftBehind(
                    [new("eipalloc-0e0000000000010", "127.20.1.11", null, "i-000a0000000000010")],
                    [new("mta1.stg.acme-mail.example", "A", ["127.10.1.11"], ["127.10.1.11"])],
                    null,
                    null
                )
            ),
            "acme-stg"
        ),
        Of(new RollbackRetryRequestedPayload("restore-ips", "EC2 mended", 41), "acme-stg"),
        Of(new WaveStoppedPayload("acme-stg rolled back")),
        Of(
            new WebhookDeliveryPayload(
                "ops-chat",
                "evt-41-0a1b2c3d4e5f",
                "cutover-rolled-back",
                41,
                1,
                500,
                "answered 500",
                WebhookDeliveryPayload.Retrying,
                1000,
                12
            )
        ),
        Of(new WaveResumedPayload()),
        Of(new WaveCancelledPayload("postponed to next quarter", "running")),
        Of(new WaveCompletedPayload(new Dictionary<string, string?> { ["acme-stg"] = CutoverOutcomes.RolledBack })),
    ];

    static JournalEvent Of<TPayload>(TPayload payload, string? environment = null)
        where TPayload : IJournalPayload =>
        JournalEvent.Of(payload, "cli:alice") with
        {
            Wave = "wave-1",
            Environment = environment,
            Step = environment is null ? null : "step",
        };
}
