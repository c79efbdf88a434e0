using CutoverEngine.Aws.Resilience;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers.BlastRadius;
using CutoverEngine.Engine.Cutovers.OtherFunctions;
using CutoverEngine.Engine.Cutovers.Steps;

namespace CutoverEngine.Engine.Audit;

/// <summary>
/// Reads the journal through <see cref="ICutoverJournal.ReadAsync"/> and builds the histories the reports and the
/// auditor pages render. The building part (<see cref="BuildEnvironment"/>, <see cref="BuildWave"/>) is pure, so
/// a caller holding entries already can use it directly.
/// </summary>
public sealed class JournalHistoryReader(ICutoverJournal journal)
{
    /// <summary>Entries per read. Default 10 000.</summary>
    public int PageSize { get; init; } = 10_000;

    /// <summary>Every entry matching <paramref name="query"/> (its Limit is used as the page size), in sequence
    /// order.</summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(JournalQuery query, CancellationToken ct = default)
    {
        var all = new List<JournalEntry>();
        var after = query.AfterSequence;
        var pageSize = Math.Min(query.Limit, PageSize);
        while (true)
        {
            var page = await journal.ReadAsync(query with { AfterSequence = after, Limit = pageSize }, ct);
            all.AddRange(page);
            if (page.Count < pageSize)
                return all;
            after = page[^1].Sequence;
        }
    }

    /// <summary>The environment's history, or null when the journal has no entry for it.</summary>
    public async Task<EnvironmentHistory?> ReadEnvironmentAsync(string environment, CancellationToken ct = default)
    {
        var entries = await ReadAllAsync(new JournalQuery { Environment = environment }, ct);
        return entries.Count == 0 ? null : BuildEnvironment(environment, entries);
    }

    /// <summary>The wave's history, or null when the journal has no entry for it.</summary>
    public async Task<WaveHistory?> ReadWaveAsync(string wave, CancellationToken ct = default)
    {
        var entries = await ReadAllAsync(new JournalQuery { Wave = wave }, ct);
        return entries.Count == 0 ? null : BuildWave(wave, entries);
    }

    public static WaveHistory BuildWave(string wave, IEnumerable<JournalEntry> entries)
    {
        var ordered = entries.Where(e => e.Wave == wave).OrderBy(e => e.Sequence).ToList();
        var events = ordered
            .Where(e => JournalEventKinds.WaveScoped.Contains(e.Event))
            .Select(e => new WaveEvent(
                e.Sequence,
                e.At,
                e.Event,
                e.Actor,
                e.Environment,
                JournalEntrySummary.Describe(e)
            ))
            .ToList();
        var environments = ordered
            .Where(e => e.Environment is not null)
            .GroupBy(e => e.Environment!, StringComparer.Ordinal)
            .Select(g => BuildEnvironment(g.Key, g))
            .ToList();
        return new WaveHistory
        {
            Wave = wave,
            Events = events,
            Environments = environments,
            FirstEntryAt = ordered.Count > 0 ? ordered[0].At : null,
            LastEntryAt = ordered.Count > 0 ? ordered[^1].At : null,
        };
    }

    public static EnvironmentHistory BuildEnvironment(string environment, IEnumerable<JournalEntry> entries)
    {
        var all = entries.Where(e => e.Environment == environment).OrderBy(e => e.Sequence).ToList();
        var starts = all.FindAll(e => e.Event == CutoverStartedPayload.Event);
        // A rehearsal or a retry after rollback starts a new cutover: describe the latest one.
        var latest = starts.Count == 0 ? all : all.SkipWhile(e => e.Sequence < starts[^1].Sequence).ToList();
        var start = starts.Count == 0 ? null : starts[^1];

        var steps = new List<StepRun>();
        var checks = new List<CheckResult>();
        int? checkRound = null;
        DowntimeRecord? downtime = null;
        RollbackRecord? rollback = null;
        IncidentRecord? incident = null;
        RevertRecord? revertOf = null;
        FinaliseRecord? finalised = null;
        var holds = new List<HoldRecord>();
        DateTimeOffset? downtimeAt = null;
        var otherFunctions = new List<OtherFunctionSeries>();
        var affected = new List<AffectedFunctionRecord>();
        BlastRadiusRecord? blastRadius = null;
        int attempts = 0,
            retries = 0,
            throttles = 0,
            errors = 0,
            leaseFailures = 0,
            pruned = 0,
            failedSteps = 0;
        double latency = 0;

        foreach (var entry in latest)
        {
            if (JournalEntrySummary.IsPruned(entry))
                pruned++;
            var payload = JournalPayload.Parse(entry.Payload);
            switch (entry.Event)
            {
                case StepStartedPayload.Event:
                    steps.Add(
                        new StepRun
                        {
                            Step = entry.Step ?? "",
                            Kind = payload.String("kind"),
                            StartedAt = entry.At,
                            TimeoutSeconds = payload.Integer("timeoutSeconds"),
                        }
                    );
                    break;
                case StepCompletedPayload.Event:
                case StepFailedPayload.Event:
                {
                    var failed = entry.Event == StepFailedPayload.Event;
                    if (failed)
                        failedSteps++;
                    var index = steps.FindLastIndex(s => s.Step == (entry.Step ?? "") && s.State == StepStates.Running);
                    // An end without a start (pruned, or a start written by an engine that crashed) still shows.
                    var run = index >= 0 ? steps[index] : new StepRun { Step = entry.Step ?? "", StartedAt = entry.At };
                    run = run with
                    {
                        EndedAt = entry.At,
                        State = failed ? StepStates.Failed : StepStates.Completed,
                        Summary = payload.String("summary"),
                        Cause = payload.String("cause"),
                        ReportedMilliseconds = payload.Number("ms") ?? payload.Number("elapsedMs"),
                    };
                    if (index >= 0)
                        steps[index] = run;
                    else
                        steps.Add(run);
                    break;
                }
                case ChecksPayload.Event:
                {
                    var round = payload.Integer("round");
                    if (round is not null && checkRound is not null && round < checkRound)
                        break;
                    checkRound = round ?? checkRound;
                    checks = payload
                        .Objects("results")
                        .Select(r => new CheckResult(
                            r.String("check") ?? "",
                            r.String("subject"),
                            r.Boolean("passed") ?? false,
                            r.String("expected"),
                            r.String("observed"),
                            r.String("detail")
                        ))
                        .ToList();
                    break;
                }
                case Downtime.Event:
                    downtime = ReadDowntime(payload) ?? downtime;
                    downtimeAt = entry.At;
                    break;
                case RollbackStartedPayload.Event:
                    rollback = new RollbackRecord(
                        entry.At,
                        payload.String("cause"),
                        payload.String("step") ?? entry.Step
                    );
                    break;
                case IncidentPayload.Event:
                    incident = new IncidentRecord(
                        entry.At,
                        payload.String("outcome"),
                        payload.String("cause"),
                        payload.String("atStep") ?? entry.Step,
                        payload.Strings("problems")
                    );
                    downtime = ReadDowntime(payload.Object("downtime")) ?? downtime;
                    break;
                case RevertStartedPayload.Event:
                    revertOf = new RevertRecord(payload.String("reverts") ?? "", payload.String("reason"), entry.Actor);
                    break;
                case EnvironmentFinalisedPayload.Event:
                    finalised = new FinaliseRecord(
                        entry.At,
                        payload.String("cutover") ?? "",
                        entry.Actor,
                        payload.String("earlyReason")
                    );
                    break;
                case CutoverHeldPayload.Event:
                    holds.Add(
                        new HoldRecord(
                            entry.At,
                            payload.Time("heldSince") ?? entry.At,
                            payload.String("cap") ?? "",
                            payload.Integer("limit"),
                            payload.String("within"),
                            payload.Strings("heldBy")
                        )
                    );
                    break;
                case LeaseRenewalFailedPayload.Event:
                    leaseFailures++;
                    break;
                case OtherFunctionAffectedPayload.Event:
                    affected.Add(
                        new AffectedFunctionRecord(
                            payload.Time("failedAt") ?? entry.At,
                            payload.String("function") ?? "",
                            payload.String("target"),
                            payload.String("error")
                        )
                    );
                    break;
                case BlastRadiusCheckedPayload.Event:
                    blastRadius = new BlastRadiusRecord(
                        entry.At,
                        payload.Integer("recordSetsCompared") ?? 0,
                        payload.Integer("addressesCompared") ?? 0,
                        payload
                            .Objects("outside")
                            .Select(o => new OutsideChange(
                                o.String("kind") ?? "",
                                o.String("subject") ?? "",
                                o.String("before") ?? "",
                                o.String("after") ?? ""
                            ))
                            .ToList(),
                        payload.String("error")
                    );
                    break;
                case OtherFunctionsProbedPayload.Event:
                    otherFunctions = payload.Objects("functions").Select(ReadSeries).ToList();
                    break;
                case AwsAttemptPayload.Event:
                {
                    attempts++;
                    if (payload.Integer("attempt") is > 1)
                        retries++;
                    var status = payload.Integer("httpStatus");
                    var code = payload.String("errorCode");
                    if (IsThrottle(payload, code, status))
                        throttles++;
                    if (!string.IsNullOrEmpty(code) || status >= 400)
                        errors++;
                    latency += payload.Number("latencyMs") ?? 0;
                    break;
                }
            }
        }

        var finishedAt = incident?.At ?? downtimeAt;
        var outcome =
            incident is not null ? incident.Outcome ?? IncidentPayload.Event
            : failedSteps > 0 || rollback is not null ? CutoverOutcomes.Failed
            : downtime is not null ? CutoverOutcomes.Completed
            : start is not null || steps.Count > 0 ? CutoverOutcomes.InProgress
            : CutoverOutcomes.NotStarted;
        var identity = latest.LastOrDefault(e => e.WorkflowInstance is not null) ?? latest.LastOrDefault();
        return new EnvironmentHistory
        {
            Environment = environment,
            Wave = latest.LastOrDefault(e => e.Wave is not null)?.Wave,
            WorkflowInstance = identity?.WorkflowInstance,
            DefinitionId = identity?.DefinitionId,
            DefinitionVersion = identity?.DefinitionVersion,
            DefinitionHash = identity?.DefinitionHash,
            // One line naming the subject (customer, environment, IP strategy), as `cutover history` shows it.
            Subject = start is null || JournalEntrySummary.IsPruned(start) ? null : JournalEntrySummary.Describe(start),
            // The engine writes the whole subject object; its customer is what support reports are grouped by.
            Customer = start is null ? null : JournalPayload.Parse(start.Payload).Object("subject").String("customer"),
            StartedBy = start?.Actor,
            StartedAt = start?.At,
            FinishedAt = finishedAt,
            Outcome = outcome,
            Attempts = starts.Count,
            Downtime = downtime,
            Steps = steps,
            LastCheckRound = checkRound,
            LastChecks = checks,
            Rollback = rollback,
            Incident = incident,
            RevertOf = revertOf,
            Finalised = finalised,
            Holds = holds,
            HeldBeforePause = holds.Count == 0 ? null : (downtime?.PausedAt ?? finishedAt) - holds[0].HeldSince,
            Aws = new AwsActivity
            {
                Attempts = attempts,
                Retries = retries,
                Throttles = throttles,
                Errors = errors,
                TotalLatencyMilliseconds = latency,
            },
            LeaseRenewalFailures = leaseFailures,
            OtherFunctions = otherFunctions,
            AffectedFunctions = affected,
            BlastRadius = blastRadius,
            PrunedEntries = pruned,
            Entries = latest
                .GroupBy(e => e.Event, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// The class the engine recorded with the attempt; for entries written before it did, the classifier's reading of
    /// the error code and status (the one list of AWS's throttle codes).
    /// </summary>
    static bool IsThrottle(JournalPayload attempt, string? code, int? status) =>
        attempt.String("faultClass") is { } recorded
            ? recorded == AwsFaultClassNames.Throttle
            : AwsFaultClassifier.ClassOf(code, status) == AwsFaultClass.Throttle;

    static OtherFunctionSeries ReadSeries(JournalPayload p) =>
        new(
            p.String("function") ?? "",
            p.String("target") ?? "",
            p.Boolean("baselineAvailable") ?? false,
            p.Integer("probes") ?? 0,
            p.Integer("failures") ?? 0,
            p.Number("p50LatencyMs"),
            p.Number("maxLatencyMs"),
            p.Boolean("affected") ?? false,
            p.String("lastError")
        );

    static DowntimeRecord? ReadDowntime(JournalPayload p) =>
        !p.IsPresent
            ? null
            : new DowntimeRecord
            {
                PausedAt = p.Time("pausedAt"),
                ResumedAt = p.Time("resumedAt"),
                DowntimeSeconds = p.Number("downtimeSeconds"),
                MonotonicSeconds = p.Number("monotonicSeconds"),
                SendingPausedAt = p.Time("sendingPausedAt"),
                SendingResumedAt = p.Time("sendingResumedAt"),
                SendingGapSeconds = p.Number("sendingGapSeconds"),
                WindowBudgetSeconds = p.Number("windowBudgetSeconds"),
                WindowBudgetUsed = p.Number("windowBudgetUsed"),
                MeasurementsDisagree = p.Boolean("measurementsDisagree") ?? false,
                Disagreement = p.String("disagreement"),
            };
}
