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

    /// <summary>The wave's own events (created, scheduled, started, notified, overridden, ...), in journal
    /// order.</summary>
    public IReadOnlyList<WaveEvent> Events { get; init; } = [];

    /// <summary>Who approved the wave and who withdrew an approval, and when a start was blocked for want of
    /// them: the four-eyes record an auditor asks for first.</summary>
    public IReadOnlyList<WaveEvent> Approvals { get; init; } = [];

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
            Rollbacks = history
                .Environments.Where(e => e.Rollback is not null || e.Incident is not null)
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
                .Select(g => new CustomerSummary
                {
                    Customer = g.Key,
                    Environments = g.Select(CustomerEnvironment.From).ToList(),
                })
                .ToList(),
            Events = history.Events,
            Approvals =
            [
                .. history.Events.Where(e =>
                    e.Event
                        is Audit.Events.WaveApprovedPayload.Event
                            or Audit.Events.WaveApprovalRevokedPayload.Event
                            or Audit.Events.WaveBlockedPayload.Event
                ),
            ],
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

/// <summary>What support can tell one customer: each of their environments, when it moved, the pause, the
/// result.</summary>
public sealed record CustomerSummary
{
    /// <summary>The group name for environments whose journal names no customer (e.g. entries written before it was
    /// recorded).</summary>
    public const string Unnamed = "(customer not recorded)";

    public string Customer { get; init; } = "";
    public IReadOnlyList<CustomerEnvironment> Environments { get; init; } = [];
}
