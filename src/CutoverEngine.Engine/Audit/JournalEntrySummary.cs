using System.Globalization;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers.Steps;

namespace CutoverEngine.Engine.Audit;

/// <summary>One line saying what an entry's payload tells: a step's summary, a failure's cause, an outcome, a
/// downtime.</summary>
public static class JournalEntrySummary
{
    static readonly string EmptyPayloadHash = SqliteJournal.HashOf("");

    /// <summary>True when retention removed the payload (an entry written without payload is not pruned).</summary>
    public static bool IsPruned(JournalEntry entry) => entry.Payload is null && entry.PayloadHash != EmptyPayloadHash;

    public static string Describe(JournalEntry entry)
    {
        if (IsPruned(entry))
            return "(payload pruned)";
        var p = JournalPayload.Parse(entry.Payload);
        if (!p.IsPresent)
            return entry.Payload ?? "";
        return entry.Event switch
        {
            CutoverStartedPayload.Event => DescribeSubject(p),
            RangeGroupCutoverStartedPayload.Event => Join(
                p.String("group") is { } group ? $"range group {group}:" : null,
                p.String("range") is { } range ? $"{range} advertised once for" : null,
                string.Join(", ", p.Strings("environments"))
            ),
            RevertStartedPayload.Event => Join(
                p.String("reverts") is { } reverted ? $"reverts cutover {reverted}" : "reverts a cutover",
                p.Time("cutoverCompletedAt") is { } done ? $"(completed {done:u})" : null,
                p.String("reason") is { } reason ? $"because: {reason}" : null
            ),
            StepStartedPayload.Event => Join(
                p.String("kind"),
                p.Number("timeoutSeconds") is { } t ? $"timeout {Seconds(t)}" : null
            ),
            StepCompletedPayload.Event => Join(
                p.String("summary"),
                p.Number("ms") is { } ms ? $"{Number(ms)} ms" : null
            ),
            StepAttemptFailedPayload.Event => Join(
                p.Integer("attempt") is { } attempt
                    ? $"attempt {attempt}{(p.Integer("of") is { } of ? $"/{of}" : "")} failed:"
                    : "attempt failed:",
                p.String("error"),
                p.Number("retryInMs") is { } retry ? $"; next in {Number(retry)} ms" : null
            ),
            StepFailedPayload.Event => p.String("cause") ?? "",
            RollbackStartedPayload.Event => Join(
                p.String("cause"),
                p.String("step") is { } step ? $"from step {step}" : null
            ),
            ChecksPayload.Event => DescribeChecks(p),
            AdmissionWaitedPayload.Event => Join(
                p.Number("waitedSeconds") is { } waited ? $"admitted after {Seconds(waited)}" : "admitted",
                p.String("boundBy") is { } bound ? $"(bound by {bound})" : null,
                p.Boolean("joinedZoneSlot") == true ? "sharing its zone's slot" : null,
                p.Number("heldSeconds") is { } held ? $"; {Seconds(held)} of it held by the safety caps" : null
            ),
            CutoverHeldPayload.Event => Join(
                "held before the pause by",
                p.String("cap"),
                p.String("within") is { } within ? $"({within})" : null,
                p.Integer("limit") is { } limit ? $"at its limit of {limit}:" : null,
                p.Strings("heldBy") is { Count: > 0 } holders ? $"paused: {string.Join(", ", holders)}" : null
            ),
            Downtime.Event => DescribeDowntime(p),
            IncidentPayload.Event => Join(
                p.String("outcome") is { } outcome ? $"{outcome}:" : null,
                p.String("cause"),
                p.String("atStep") is { } at ? $"(at {at})" : null,
                p.Object("downtime").IsPresent ? "; " + DescribeDowntime(p.Object("downtime")) : null
            ),
            RollbackStuckPayload.Event => Join(
                p.Boolean("holding") == true ? "rollback stuck, sending held paused:" : "rollback stuck, resuming:",
                p.String("cause"),
                p.String("step") is { } stuck ? $"(at {stuck});" : null,
                p.String("decision")
            ),
            RollbackRetryRequestedPayload.Event => Join(
                p.String("step") is { } retried ? $"retry of {retried} asked" : "retry asked",
                p.String("reason") is { } why ? $"because {why}" : null
            ),
            IdentityMismatchPayload.Event => p.String("error") ?? "",
            LeaseRenewalFailedPayload.Event => Join(
                "lease renewal failed:",
                p.String("error"),
                p.String("leaseExpiresAt") is { } expires ? $"(lease runs until {expires})" : null
            ),
            SendingResumedByLeaseExpiryPayload.Event => Join(
                "sending resumed by lease-expiry",
                p.String("resumedAt") is { } resumed ? $"at {resumed}" : null,
                p.String("pausedAt") is { } paused ? $"(paused since {paused})" : null,
                p.String("seenBy") is { } seen ? $"seen by {seen}" : null
            ),
            OtherFunctionAffectedPayload.Event => Join(
                "other function affected:",
                p.String("function"),
                p.String("target") is { } target ? $"({target})" : null,
                p.String("error") is { } error ? $"failed during the pause: {error}" : "failed during the pause",
                "(it answered before it)"
            ),
            OtherFunctionsProbedPayload.Event => DescribeOtherFunctions(p),
            BlastRadiusCheckedPayload.Event => DescribeBlastRadius(p),
            AwsAttemptPayload.Event => Join(
                p.String("service"),
                p.String("operation"),
                p.String("account") is { } account ? $"account {account}" : null,
                p.Integer("attempt") is { } attempt ? $"attempt {attempt}:" : null,
                p.String("httpStatus"),
                p.String("errorCode"),
                p.String("faultClass") is { } fault ? $"({fault})" : null,
                p.String("outcome") is { } o ? $"-> {o}" : null
            ),
            WaveCreatedPayload.Event => Join(
                $"{p.Strings("environments").Count} environment(s)",
                p.Integer("parallel") is { } parallel ? $"parallel {parallel}" : null,
                p.String("order") is { } order ? $"order {order}" : null,
                p.String("plannedStart") is { } planned ? $"planned {planned}" : null
            ),
            WaveScheduledPayload.Event or WaveRescheduledPayload.Event => Join(
                p.String("scheduledFor") is { } at ? $"for {at}" : null,
                p.String("previous") is { } previous ? $"(was {previous})" : null,
                p.String("reason") is { } reason ? $": {reason}" : null
            ),
            WaveStartedPayload.Event => Join(
                p.String("startedAt") is { } started ? $"started {started}" : "started",
                p.String("scheduledFor") is { } scheduled ? $"(scheduled for {scheduled})" : null
            ),
            WaveMissedPayload.Event => Join(
                p.String("scheduledFor") is { } due ? $"due {due}," : null,
                p.String("detectedAt") is { } detected ? $"missed as of {detected}" : "missed",
                p.String("gracePeriod") is { } grace ? $"(grace period {grace})" : null
            ),
            WaveStoppedPayload.Event => Join("stopped:", p.String("reason")),
            WaveApprovedPayload.Event => Join(
                p.String("person") is { } by ? $"approved by {by}:" : "approved:",
                p.String("reason"),
                ApprovalTally(p)
            ),
            WaveApprovalNeededPayload.Event => Join("approval needed:", string.Join("; ", p.Strings("missing"))),
            WaveApprovalRevokedPayload.Event => Join(
                p.String("person") is { } by ? $"approval of {by} revoked:" : "approval revoked:",
                p.String("reason"),
                ApprovalTally(p)
            ),
            WaveBlockedPayload.Event => Join(
                "blocked:",
                string.Join("; ", p.Strings("missing")),
                p.String("scheduledFor") is { } due ? $"(due {due})" : null
            ),
            WindowBudgetWarningPayload.Event => Join(
                p.Number("usedShare") is { } used
                    ? $"{used.ToString("P0", CultureInfo.InvariantCulture)} of the window budget used"
                    : "window budget nearly used",
                p.Number("budgetSeconds") is { } budget ? $"(budget {Seconds(budget)}," : null,
                p.String("pausedAt") is { } paused ? $"paused since {paused})" : null
            ),
            WebhookDeliveryPayload.Event => Join(
                p.String("webhookEvent"),
                p.String("eventId") is { } id ? $"{id} to" : "to",
                p.String("receiver"),
                p.Integer("attempt") is { } attempt ? $"attempt {attempt}:" : null,
                p.String("status") ?? p.String("error"),
                p.String("outcome") is { } o ? $"-> {o}" : null
            ),
            WaveResumedPayload.Event => "resumed",
            WaveCancelledPayload.Event => Join(
                "cancelled:",
                p.String("reason"),
                p.String("was") is { } was ? $"(was {was})" : null
            ),
            WaveCompletedPayload.Event => DescribeCompleted(p),
            WavePolicyOverriddenPayload.Event => Join(
                p.String("operation") is { } operation ? $"{operation} despite" : "despite",
                $"{p.Objects("violations").Count()} policy violation(s):",
                p.String("reason")
            ),
            WaveNoticesFailedPayload.Event => Join(
                p.String("operation") switch
                {
                    // The cancel of a wave, and a move, stand: only the calendar cancel was not sent.
                    (WaveNoticesFailedPayload.CancelOperation or WaveNoticesFailedPayload.MoveOperation) and var o =>
                        $"{o} stands: the invitation's cancel not sent to",
                    { } operation => $"{operation} refused: notices failed at",
                    null => "notices failed at",
                },
                p.String("environmentId"),
                p.Strings("accepted").Count is > 0 and var n ? $"({n} sent before, not recorded):" : ":",
                p.String("error")
            ),
            EnvironmentMovedPayload.Event => Join(
                p.String("from") is { } from ? $"moved from {from}" : "moved",
                p.String("to") is { } to ? $"to {to}" : null,
                p.String("scheduledFor") is { } at ? $"(starts {at})" : null,
                p.String("reason") is { } reason ? $": {reason}" : null
            ),
            InvitationCancelledPayload.Event => Join(
                p.String("customer"),
                "invitation cancelled",
                p.String("sequence") is { } sequence ? $"(sequence {sequence});" : null,
                p.String("reason")
            ),
            EnvironmentPreparedPayload.Event => Join(
                $"prepared: {p.Objects("ttls").Count(t => t.Boolean("written") == true)} TTL(s) lowered,",
                p.Object("spf").String("refused") is { } refused
                    ? $"SPF refused: {refused}"
                    : $"SPF +{p.Object("spf").Strings("added").Count} mechanism(s)"
            ),
            EnvironmentFinalisedPayload.Event => Join(
                $"finalised cutover {p.String("cutover")}:",
                $"{p.Objects("ttls").Count(t => t.Boolean("written") == true)} TTL(s) restored,",
                $"SPF -{p.Object("spf").Strings("removed").Count} mechanism(s),",
                $"{p.Objects("oldAddresses").Count(a => a.String("stillNamedBy") is null)} old address(es) unused",
                p.String("earlyReason") is { } early ? $"(before its soak: {early})" : null
            ),
            FinaliseBlockedPayload.Event => Join("finalise blocked:", p.String("reason")),
            ReadinessCheckedPayload.Event => p.Boolean("ready") == true
                ? $"ready ({p.Objects("checks").Count()} checks)"
                : Join("not ready:", string.Join("; ", p.Objects("reasons").Select(r => r.String("message")))),
            EnvironmentDroppedPayload.Event => Join("dropped from the wave:", p.String("reason")),
            WaveStartRefusedPayload.Event => Join(
                "start refused:",
                $"{p.Objects("violations").Count()} environment(s) not prepared and ready"
            ),
            CustomerRemindedPayload.Event => Join(
                p.String("customer"),
                "reminded",
                p.String("scheduledFor") is { } start ? $"of the start {start}" : null
            ),
            CustomerNotifiedPayload.Event => Join(
                p.String("customer"),
                p.Boolean("sent") == true ? "notified (sent)" : "notified (rendered)",
                p.String("file") is { } file ? $"to {file}" : null
            ),
            _ => p.String("summary")
                ?? p.String("cause")
                ?? p.String("outcome")
                ?? p.String("reason")
                ?? p.String("note")
                ?? entry.Payload
                ?? "",
        };
    }

    /// <summary>The engine writes the subject object; older entries (and hand-written ones) a plain string.</summary>
    static string DescribeSubject(JournalPayload p)
    {
        if (p.String("subject") is { } text)
            return text;
        var subject = p.Object("subject");
        return Join(
            subject.String("customer"),
            subject.String("environmentId") is { } id ? $"({id})" : null,
            subject.String("ipStrategy")
        );
    }

    static string DescribeCompleted(JournalPayload p)
    {
        var cutovers = p.Object("cutovers");
        if (!cutovers.IsPresent)
            return "completed";
        var counts = cutovers
            .Root.EnumerateObject()
            .GroupBy(c =>
                c.Value.ValueKind == System.Text.Json.JsonValueKind.String
                    ? c.Value.GetString()!
                    : CutoverOutcomes.InProgress
            )
            .Select(g => $"{g.Count()} {g.Key}");
        return "completed: " + string.Join(", ", counts);
    }

    static string DescribeOtherFunctions(JournalPayload p)
    {
        var functions = p.Objects("functions")
            .Select(f =>
                Join(
                    f.String("function"),
                    $"{f.Integer("probes") ?? 0} probes, {f.Integer("failures") ?? 0} failed",
                    f.Number("p50LatencyMs") is { } p50 ? $"p50 {Number(p50)} ms" : null,
                    f.Number("maxLatencyMs") is { } max ? $"max {Number(max)} ms" : null,
                    f.Boolean("affected") == true ? "AFFECTED" : null
                )
            );
        return "other functions during the pause: " + string.Join("; ", functions);
    }

    static string DescribeBlastRadius(JournalPayload p)
    {
        if (p.String("error") is { } error)
            return $"blast radius not proved: {error}";
        var compared =
            $"{p.Integer("recordSetsCompared") ?? 0} record sets and "
            + $"{p.Integer("addressesCompared") ?? 0} addresses compared with the snapshot";
        var outside = p.Objects("outside")
            .Select(o => $"{o.String("kind")} {o.String("subject")}: {o.String("before")} -> {o.String("after")}")
            .ToList();
        return outside.Count == 0
            ? $"only the intended records and addresses changed ({compared})"
            : $"{outside.Count} change(s) outside the intended ({compared}): {string.Join("; ", outside)}";
    }

    static string DescribeChecks(JournalPayload p)
    {
        var results = p.Objects("results").ToList();
        var failed = results
            .Where(r => r.Boolean("passed") != true)
            .Select(r => Join(r.String("check"), r.String("subject")))
            .ToList();
        var round = p.Integer("round") is { } n ? $"round {n}: " : "";
        var passed = $"{round}{results.Count - failed.Count}/{results.Count} passed";
        return failed.Count == 0 ? passed : $"{passed}; failed: {string.Join(", ", failed)}";
    }

    static string DescribeDowntime(JournalPayload p)
    {
        var text = Join(
            p.Number("downtimeSeconds") is { } d ? $"downtime {Seconds(d)}" : "downtime unknown",
            p.Number("sendingGapSeconds") is { } g ? $"(sending gap {Seconds(g)})" : null,
            p.Number("windowBudgetUsed") is { } used ? $"{Number(used * 100)}% of budget" : null
        );
        return p.Boolean("measurementsDisagree") == true
            ? $"{text}; measurements disagree: {p.String("disagreement")}"
            : text;
    }

    static string Seconds(double s) => Number(s) + " s";

    static string Number(double n) => n.ToString(n == Math.Floor(n) ? "0" : "0.0##", CultureInfo.InvariantCulture);

    /// <summary>"(1 of 2)": the approvals that count after an approval or a revoke, of those needed.</summary>
    static string? ApprovalTally(JournalPayload p) =>
        p.Integer("valid") is { } valid && p.Integer("required") is { } required ? $"({valid} of {required})" : null;

    static string Join(params string?[] parts) =>
        string.Join(' ', parts.Where(p => !string.IsNullOrEmpty(p))).Replace(" ;", ";", StringComparison.Ordinal);
}
