using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Reports;

/// <summary>
/// What a wave did, shaped for people: per environment downtime by both measurements, the step timeline and the last
/// verification round; wave statistics; rollbacks with causes; and a per-customer summary support can hand out.
/// Built from a <see cref="WaveHistory"/> only, so it renders the same from a live journal or a copy.
/// All durations are in seconds; times are UTC.
/// </summary>
public sealed record WaveReport
{
    public string Wave { get; init; } = "";
    public DateTimeOffset GeneratedAt { get; init; }
    public DateTimeOffset? FirstEntryAt { get; init; }
    public DateTimeOffset? LastEntryAt { get; init; }
    /// <summary>In the order the environments first appear in the journal.</summary>
    public IReadOnlyList<EnvironmentReport> Environments { get; init; } = [];
    public WaveStatistics Statistics { get; init; } = new();
    public IReadOnlyList<RollbackReport> Rollbacks { get; init; } = [];
    /// <summary>Per customer, in the order their first environment appears. Plain words, no internal details.</summary>
    public IReadOnlyList<CustomerSummary> Customers { get; init; } = [];
    /// <summary>The wave's own events (created, scheduled, started, notified, overridden, ...), in journal order.</summary>
    public IReadOnlyList<WaveEvent> Events { get; init; } = [];

    /// <summary>The reference lines of the downtime chart: the 30-minute target and the 60-minute limit.</summary>
    public static readonly IReadOnlyList<double> ReferenceMinutes = [30, 60];

    public static WaveReport From(WaveHistory history, DateTimeOffset generatedAt)
    {
        var environments = history.Environments.Select(EnvironmentReport.From).ToList();
        return new WaveReport
        {
            Wave = history.Wave,
            GeneratedAt = generatedAt,
            FirstEntryAt = history.FirstEntryAt,
            LastEntryAt = history.LastEntryAt,
            Environments = environments,
            Statistics = WaveStatistics.Of(history.Environments),
            Rollbacks = history.Environments
                .Where(e => e.Rollback is not null || e.Incident is not null)
                .Select(e => new RollbackReport
                {
                    Environment = e.Environment,
                    Customer = e.Customer,
                    Outcome = e.Outcome,
                    At = e.Rollback?.At ?? e.Incident!.At,
                    Cause = e.Rollback?.Cause ?? e.Incident?.Cause,
                    AtStep = e.Incident?.AtStep ?? e.Rollback?.Step,
                    Problems = e.Incident?.Problems ?? [],
                })
                .ToList(),
            Customers = environments
                .GroupBy(e => e.Customer ?? CustomerSummary.Unnamed, StringComparer.Ordinal)
                .Select(g => new CustomerSummary { Customer = g.Key, Environments = g.Select(CustomerEnvironment.From).ToList() })
                .ToList(),
            Events = history.Events,
        };
    }
}

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
    public int AwsAttempts { get; init; }
    public int AwsRetries { get; init; }
    public int AwsThrottles { get; init; }
    /// <summary>Entries whose payloads retention removed: the details above are incomplete when this is above 0.</summary>
    public int PrunedEntries { get; init; }
    /// <summary>The cutover's journal entries per event kind.</summary>
    public IReadOnlyDictionary<string, int> JournalEntries { get; init; } = new Dictionary<string, int>();

    public static EnvironmentReport From(EnvironmentHistory h)
    {
        var d = h.Downtime;
        var origin = h.Steps.Count > 0 ? h.Steps.Min(s => s.StartedAt) : h.StartedAt;
        double? used = d?.WindowBudgetUsed ?? (d?.DowntimeSeconds is { } s && d.WindowBudgetSeconds is > 0 ? s / d.WindowBudgetSeconds : null);
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
            Steps = h.Steps.Select(r => new StepTiming
            {
                Step = r.Step,
                Kind = r.Kind,
                State = r.State,
                OffsetSeconds = origin is { } o ? (r.StartedAt - o).TotalSeconds : 0,
                DurationSeconds = r.Duration?.TotalSeconds,
                StartedAt = r.StartedAt,
                Summary = r.Summary,
                Cause = r.Cause,
            }).ToList(),
            LastCheckRound = h.LastCheckRound,
            LastChecks = h.LastChecks,
            RollbackCause = h.Rollback?.Cause ?? h.Incident?.Cause,
            AwsAttempts = h.Aws.Attempts,
            AwsRetries = h.Aws.Retries,
            AwsThrottles = h.Aws.Throttles,
            PrunedEntries = h.PrunedEntries,
            JournalEntries = h.Entries,
        };
    }
}

/// <summary>One step run on the environment's timeline; offsets count from the first step's start.</summary>
public sealed record StepTiming
{
    public string Step { get; init; } = "";
    public string? Kind { get; init; }
    public string State { get; init; } = StepStates.Running;
    public double OffsetSeconds { get; init; }
    /// <summary>Null while the step is still running (or its end was never written).</summary>
    public double? DurationSeconds { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public string? Summary { get; init; }
    public string? Cause { get; init; }
}

/// <summary>Counts and downtime percentiles over the wave.</summary>
public sealed record WaveStatistics
{
    public int Environments { get; init; }
    public IReadOnlyDictionary<string, int> Outcomes { get; init; } = new Dictionary<string, int>();
    /// <summary>Completed cutovers with a recorded downtime: the population of the percentiles.</summary>
    public int MeasuredCompleted { get; init; }
    /// <summary>Nearest-rank percentiles of the engine's downtime of completed cutovers; null when none completed.</summary>
    public double? DowntimeP50Seconds { get; init; }
    public double? DowntimeP95Seconds { get; init; }
    public double? DowntimeMaxSeconds { get; init; }
    /// <summary>Completed cutovers whose downtime went past 30 and 60 minutes.</summary>
    public int Over30Minutes { get; init; }
    public int Over60Minutes { get; init; }
    public int MeasurementDisagreements { get; init; }
    public int Rollbacks { get; init; }
    public int AwsAttempts { get; init; }
    public int AwsRetries { get; init; }
    public int AwsThrottles { get; init; }

    public static WaveStatistics Of(IReadOnlyList<EnvironmentHistory> environments)
    {
        var downtimes = environments
            .Where(e => e.Outcome == CutoverOutcomes.Completed && e.Downtime?.DowntimeSeconds is not null)
            .Select(e => e.Downtime!.DowntimeSeconds!.Value)
            .Order()
            .ToList();
        return new WaveStatistics
        {
            Environments = environments.Count,
            Outcomes = environments.GroupBy(e => e.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            MeasuredCompleted = downtimes.Count,
            DowntimeP50Seconds = Percentile(downtimes, 50),
            DowntimeP95Seconds = Percentile(downtimes, 95),
            DowntimeMaxSeconds = downtimes.Count == 0 ? null : downtimes[^1],
            Over30Minutes = downtimes.Count(s => s > 30 * 60),
            Over60Minutes = downtimes.Count(s => s > 60 * 60),
            MeasurementDisagreements = environments.Count(e => e.Downtime?.MeasurementsDisagree == true),
            Rollbacks = environments.Count(e => e.Rollback is not null || e.Incident is not null),
            AwsAttempts = environments.Sum(e => e.Aws.Attempts),
            AwsRetries = environments.Sum(e => e.Aws.Retries),
            AwsThrottles = environments.Sum(e => e.Aws.Throttles),
        };
    }

    /// <summary>
    /// Nearest-rank percentile of an ascending list: the smallest value with at least p% of the values at or below
    /// it. Always an observed downtime, never an interpolation between two customers' numbers.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> ascending, double p)
    {
        if (ascending.Count == 0)
            return null;
        var rank = (int)Math.Ceiling(p / 100 * ascending.Count);
        return ascending[Math.Clamp(rank, 1, ascending.Count) - 1];
    }
}

/// <summary>An environment that rolled back or raised an incident, with the cause the engine recorded.</summary>
public sealed record RollbackReport
{
    public string Environment { get; init; } = "";
    public string? Customer { get; init; }
    public string Outcome { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public string? Cause { get; init; }
    public string? AtStep { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>What support can tell one customer: each of their environments, when it moved, the pause, the result.</summary>
public sealed record CustomerSummary
{
    /// <summary>The group name for environments whose journal names no customer (e.g. entries written before it was recorded).</summary>
    public const string Unnamed = "(customer not recorded)";

    public string Customer { get; init; } = "";
    public IReadOnlyList<CustomerEnvironment> Environments { get; init; } = [];
}

/// <summary>One environment in a customer's summary, in plain words.</summary>
public sealed record CustomerEnvironment
{
    public string Environment { get; init; } = "";
    /// <summary>When sending was paused for the move (or the cutover started, when it never paused).</summary>
    public DateTimeOffset? CutOverAt { get; init; }
    public double? DowntimeSeconds { get; init; }
    /// <summary>One sentence for the customer, e.g. "Moved successfully. Sending was paused for 31 minutes."</summary>
    public string Result { get; init; } = "";

    public static CustomerEnvironment From(EnvironmentReport e) => new()
    {
        Environment = e.Environment,
        CutOverAt = e.PausedAt ?? e.StartedAt,
        DowntimeSeconds = e.EngineDowntimeSeconds,
        Result = PlainResult(e.Outcome, e.EngineDowntimeSeconds),
    };

    /// <summary>Deliberately free of causes, step names and request ids: those are internal.</summary>
    public static string PlainResult(string outcome, double? downtimeSeconds)
    {
        var pause = downtimeSeconds is { } s ? $" Sending was paused for {Duration.Plain(s)}." : "";
        return outcome switch
        {
            CutoverOutcomes.Completed => "Moved successfully." + pause,
            CutoverOutcomes.RolledBack => "Not moved this time: the change was undone and sending continues from the existing setup." + pause + " We will reschedule.",
            CutoverOutcomes.InProgress => "The move is in progress.",
            CutoverOutcomes.NotStarted => "Not started yet.",
            _ => "The move did not complete; our team is following up with you." + pause,
        };
    }
}

/// <summary>Durations in words and short forms, shared by the renderers.</summary>
public static class Duration
{
    /// <summary>"45 seconds", "1 minute", "31 minutes", "1 hour 5 minutes".</summary>
    public static string Plain(double seconds)
    {
        if (seconds < 60)
        {
            var s = (int)Math.Round(seconds);
            return s == 1 ? "1 second" : $"{s} seconds";
        }
        var minutes = (int)Math.Round(seconds / 60);
        if (minutes < 60)
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        var (h, m) = (minutes / 60, minutes % 60);
        var hours = h == 1 ? "1 hour" : $"{h} hours";
        return m == 0 ? hours : $"{hours} {(m == 1 ? "1 minute" : $"{m} minutes")}";
    }
}
