using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Reports;

/// <summary>One environment's cutover in the report.</summary>
public sealed record EnvironmentReport
{
    public string Environment { get; init; } = "";
    public string? Customer { get; init; }

    /// <summary>The journal's outcome: completed, rolled-back, failed, in-progress, not-started.</summary>
    public string Outcome { get; init; } = CutoverOutcomes.NotStarted;
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    public DateTimeOffset? ResumedAt { get; init; }

    /// <summary>Pause to resume by the engine (monotonic clock when recorded).</summary>
    public double? EngineDowntimeSeconds { get; init; }

    /// <summary>The gap the sending control itself reports.</summary>
    public double? SendingGapSeconds { get; init; }
    public bool MeasurementsDisagree { get; init; }
    public string? Disagreement { get; init; }
    public double? WindowBudgetSeconds { get; init; }

    /// <summary>Share of the window budget used, 0..1 (above 1 when the budget was overrun).</summary>
    public double? WindowBudgetUsed { get; init; }
    public IReadOnlyList<StepTiming> Steps { get; init; } = [];
    public int? LastCheckRound { get; init; }
    public IReadOnlyList<CheckResult> LastChecks { get; init; } = [];
    public string? RollbackCause { get; init; }

    /// <summary>Set when the environment's latest run reverted its completed cutover (outcome and downtime are the
    /// revert's).</summary>
    public RevertRecord? RevertOf { get; init; }

    /// <summary>Set once the environment's cutover was finalised after its soak.</summary>
    public FinaliseRecord? Finalised { get; init; }

    /// <summary>How long the safety caps held the cutover before its pause (not downtime); null when none
    /// did.</summary>
    public double? HeldBeforePauseSeconds { get; init; }

    /// <summary>The caps that held it, in order (e.g. <c>Safety:MaxPausedEnvironments</c>).</summary>
    public IReadOnlyList<string> HeldByCaps { get; init; } = [];
    public int AwsAttempts { get; init; }
    public int AwsRetries { get; init; }
    public int AwsThrottles { get; init; }

    /// <summary>Entries whose payloads retention removed: the details above are incomplete when this is above
    /// 0.</summary>
    public int PrunedEntries { get; init; }

    /// <summary>The other functions' probes over the pause: probes, failures, p50 and max latency per
    /// function.</summary>
    public IReadOnlyList<Cutovers.OtherFunctions.OtherFunctionSeries> OtherFunctions { get; init; } = [];

    /// <summary>Other functions that failed during the pause though they answered before it: incidents of their own
    /// kind, which do not roll the cutover back.</summary>
    public IReadOnlyList<AffectedFunctionRecord> AffectedFunctions { get; init; } = [];

    /// <summary>The zone and the account's addresses compared with the snapshot after the cutover; null when not
    /// recorded.</summary>
    public BlastRadiusRecord? BlastRadius { get; init; }

    /// <summary>The cutover's journal entries per event kind.</summary>
    public IReadOnlyDictionary<string, int> JournalEntries { get; init; } = new Dictionary<string, int>();

    public static EnvironmentReport From(EnvironmentHistory h)
    {
        var d = h.Downtime;
        var origin = h.Steps.Count > 0 ? h.Steps.Min(s => s.StartedAt) : h.StartedAt;
        double? used =
            d?.WindowBudgetUsed
            ?? (d?.DowntimeSeconds is { } s && d.WindowBudgetSeconds is > 0 ? s / d.WindowBudgetSeconds : null);
        return new EnvironmentReport
        {
            Environment = h.Environment,
            Customer = h.Customer,
            Outcome = h.Outcome,
            StartedAt = h.StartedAt,
            FinishedAt = h.FinishedAt,
            PausedAt = d?.PausedAt,
            ResumedAt = d?.ResumedAt,
            EngineDowntimeSeconds = d?.DowntimeSeconds,
            SendingGapSeconds = d?.SendingGapSeconds,
            MeasurementsDisagree = d?.MeasurementsDisagree ?? false,
            Disagreement = d?.Disagreement,
            WindowBudgetSeconds = d?.WindowBudgetSeconds,
            WindowBudgetUsed = used,
            Steps = h
                .Steps.Select(r => new StepTiming
                {
                    Step = r.Step,
                    Kind = r.Kind,
                    State = r.State,
                    OffsetSeconds = origin is { } o ? (r.StartedAt - o).TotalSeconds : 0,
                    DurationSeconds = r.Duration?.TotalSeconds,
                    StartedAt = r.StartedAt,
                    Summary = r.Summary,
                    Cause = r.Cause,
                })
                .ToList(),
            LastCheckRound = h.LastCheckRound,
            LastChecks = h.LastChecks,
            RollbackCause = h.Rollback?.Cause ?? h.Incident?.Cause,
            RevertOf = h.RevertOf,
            Finalised = h.Finalised,
            HeldBeforePauseSeconds = h.HeldBeforePause?.TotalSeconds,
            HeldByCaps = [.. h.Holds.Select(x => x.Reason)],
            AwsAttempts = h.Aws.Attempts,
            AwsRetries = h.Aws.Retries,
            AwsThrottles = h.Aws.Throttles,
            PrunedEntries = h.PrunedEntries,
            OtherFunctions = h.OtherFunctions,
            AffectedFunctions = h.AffectedFunctions,
            BlastRadius = h.BlastRadius,
            JournalEntries = h.Entries,
        };
    }
}
