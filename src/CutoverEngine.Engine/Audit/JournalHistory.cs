namespace CutoverEngine.Engine.Audit;

/// <summary>The downtime an environment had, by the engine's clocks and by the sending control's own account.</summary>
public sealed record DowntimeRecord
{
    public DateTimeOffset? PausedAt { get; init; }
    public DateTimeOffset? ResumedAt { get; init; }

    /// <summary>Wall-clock seconds from pause to resume, by the engine.</summary>
    public double? DowntimeSeconds { get; init; }

    /// <summary>The same interval on the engine's monotonic clock (immune to clock steps).</summary>
    public double? MonotonicSeconds { get; init; }
    public DateTimeOffset? SendingPausedAt { get; init; }
    public DateTimeOffset? SendingResumedAt { get; init; }

    /// <summary>The gap the sending control itself reports: the second measurement.</summary>
    public double? SendingGapSeconds { get; init; }
    public double? WindowBudgetSeconds { get; init; }

    /// <summary>Fraction of the window budget used, as recorded.</summary>
    public double? WindowBudgetUsed { get; init; }
    public bool MeasurementsDisagree { get; init; }
    public string? Disagreement { get; init; }
}

/// <summary>One run of one step: a step retried by the workflow appears once per run.</summary>
public sealed record StepRun
{
    public string Step { get; init; } = "";
    public string? Kind { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Journal time from start to end; null while running.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>The step's own measurement of its work, when it reported one (payload <c>ms</c>).</summary>
    public double? ReportedMilliseconds { get; init; }
    public int? TimeoutSeconds { get; init; }

    /// <summary><see cref="StepStates"/>.</summary>
    public string State { get; init; } = StepStates.Running;
    public string? Summary { get; init; }
    public string? Cause { get; init; }
}

public static class StepStates
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>One check of a verification round.</summary>
public sealed record CheckResult(
    string Check,
    string? Subject,
    bool Passed,
    string? Expected,
    string? Observed,
    string? Detail
);

/// <summary>The history describes a revert (its latest run): the cutover it undoes, why, and who asked.</summary>
public sealed record RevertRecord(string Reverts, string? Reason, string Actor);

/// <summary>The latest cutover was finalised after its soak: when, by whom, and why early if it was.</summary>
public sealed record FinaliseRecord(DateTimeOffset At, string Cutover, string Actor, string? EarlyReason);

public sealed record RollbackRecord(DateTimeOffset At, string? Cause, string? Step);

public sealed record IncidentRecord(
    DateTimeOffset At,
    string? Outcome,
    string? Cause,
    string? AtStep,
    IReadOnlyList<string> Problems
);

/// <summary>An other function that failed during the pause though it answered before it
/// (<c>other-function-affected</c>).</summary>
public sealed record AffectedFunctionRecord(DateTimeOffset At, string Function, string? Target, string? Error);

/// <summary>The comparison of the zone and the account's addresses with the snapshot after the cutover
/// (<c>blast-radius-checked</c>): the changes no cutover of the wave intended, or why it could not be made.</summary>
public sealed record BlastRadiusRecord(
    DateTimeOffset At,
    int RecordSetsCompared,
    int AddressesCompared,
    IReadOnlyList<Cutovers.BlastRadius.OutsideChange> Outside,
    string? Error
);

/// <summary>AWS requests made for the environment, counted from <c>aws-attempt</c> entries.</summary>
public sealed record AwsActivity
{
    public int Attempts { get; init; }

    /// <summary>Attempts after the first of a call (attempt number above 1).</summary>
    public int Retries { get; init; }

    /// <summary>Attempts AWS refused for rate (throttling error codes or HTTP 429).</summary>
    public int Throttles { get; init; }

    /// <summary>Attempts that got an error answer, throttles included.</summary>
    public int Errors { get; init; }
    public double TotalLatencyMilliseconds { get; init; }
}

/// <summary>What one environment's cutover did, built from its journal entries (the latest attempt).</summary>
public sealed record EnvironmentHistory
{
    public string Environment { get; init; } = "";
    public string? Wave { get; init; }
    public string? WorkflowInstance { get; init; }
    public string? DefinitionId { get; init; }
    public int? DefinitionVersion { get; init; }
    public string? DefinitionHash { get; init; }

    /// <summary>What the cutover-started entry names (the environment's customer-facing subject).</summary>
    public string? Subject { get; init; }

    /// <summary>The customer's name from the cutover-started subject (<c>subject.customer</c>), when it names
    /// one.</summary>
    public string? Customer { get; init; }

    /// <summary>Who started it: API key name, <c>cli:user</c> or <c>scheduler</c>.</summary>
    public string? StartedBy { get; init; }
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Time of the incident or downtime record that closed the cutover.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The incident's outcome when one was recorded, else one of <see cref="CutoverOutcomes"/>.</summary>
    public string Outcome { get; init; } = CutoverOutcomes.NotStarted;

    /// <summary>Cutovers started for this environment in the entries read; this history describes the last
    /// one.</summary>
    public int Attempts { get; init; }
    public DowntimeRecord? Downtime { get; init; }
    public IReadOnlyList<StepRun> Steps { get; init; } = [];
    public int? LastCheckRound { get; init; }
    public IReadOnlyList<CheckResult> LastChecks { get; init; } = [];
    public RollbackRecord? Rollback { get; init; }

    /// <summary>Set when the latest run is a revert of a completed cutover: its outcome and downtime are the
    /// revert's.</summary>
    public RevertRecord? RevertOf { get; init; }

    /// <summary>Set once the latest cutover was finalised (no revert from then on).</summary>
    public FinaliseRecord? Finalised { get; init; }

    /// <summary>The safety caps that held the latest cutover before its pause, one per distinct reason, in
    /// order.</summary>
    public IReadOnlyList<HoldRecord> Holds { get; init; } = [];

    /// <summary>How long the safety caps held the cutover before it paused (not downtime); null when none did. Until
    /// the pause, or the end when it never paused.</summary>
    public TimeSpan? HeldBeforePause { get; init; }
    public IncidentRecord? Incident { get; init; }
    public AwsActivity Aws { get; init; } = new();
    public int LeaseRenewalFailures { get; init; }

    /// <summary>The other functions' probes over the pause, one series per function (empty when none were
    /// named).</summary>
    public IReadOnlyList<Cutovers.OtherFunctions.OtherFunctionSeries> OtherFunctions { get; init; } = [];

    /// <summary>Other functions that failed during the pause though they answered before it.</summary>
    public IReadOnlyList<AffectedFunctionRecord> AffectedFunctions { get; init; } = [];

    /// <summary>The last blast-radius comparison; null when none was recorded.</summary>
    public BlastRadiusRecord? BlastRadius { get; init; }

    /// <summary>Entries of the last attempt whose payload retention has removed; their details are missing
    /// above.</summary>
    public int PrunedEntries { get; init; }

    /// <summary>The last attempt's entries per event kind (<see cref="Events.JournalEventKinds"/>).</summary>
    public IReadOnlyDictionary<string, int> Entries { get; init; } = new Dictionary<string, int>();
}

/// <summary>A wave-level event: created, scheduled, started, stopped, cancelled, notice recorded, override.</summary>
public sealed record WaveEvent(
    long Sequence,
    DateTimeOffset At,
    string Event,
    string Actor,
    string? Environment,
    string Summary
);
