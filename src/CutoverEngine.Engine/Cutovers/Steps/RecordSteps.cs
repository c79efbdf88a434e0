using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Records the downtime by both measurements and closes the cutover as completed.</summary>
public sealed class RecordDowntime(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        run.Data.Outcome = CutoverOutcome.Completed.ToWireName();
        var downtime = Downtime.Of(run.Data, run.WindowBudget);
        await Journal(run, downtime);
        return StepResult.Done($"downtime {downtime.DowntimeSeconds:0.0} s (sending side: {downtime.SendingGapSeconds:0.0} s)", downtime);
    }
}

/// <summary>Closes a rolled-back cutover: its cause, what the rollback could not restore, and the downtime.</summary>
public sealed class RecordIncident(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        data.Outcome = (data.RollbackProblems.Count > 0 || data.PausedAt is null ? CutoverOutcome.Failed : CutoverOutcome.RolledBack).ToWireName();
        var downtime = Downtime.Of(data, run.WindowBudget);
        await Journal(run, new IncidentPayload(data.Outcome, data.RollbackCause, data.RollbackStep, data.RollbackProblems, downtime));
        return StepResult.Done($"{data.Outcome}: {data.RollbackCause}", downtime);
    }
}

/// <summary>The downtime of one cutover as the engine measured it and as the sending side saw it.</summary>
public sealed record Downtime(
    DateTimeOffset? PausedAt,
    DateTimeOffset? ResumedAt,
    double? DowntimeSeconds,
    double? MonotonicSeconds,
    DateTimeOffset? SendingPausedAt,
    DateTimeOffset? SendingResumedAt,
    double? SendingGapSeconds,
    double WindowBudgetSeconds,
    double? WindowBudgetUsed,
    bool MeasurementsDisagree,
    string? Disagreement) : IJournalPayload
{
    public const string Event = "downtime-recorded";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;

    /// <summary>Engine and sending side may differ by network and clock granularity; beyond this the report says so.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    public static Downtime Of(CutoverData d, TimeSpan windowBudget)
    {
        double? wall = d.PausedAt is { } p && d.ResumedAt is { } r ? (r - p).TotalSeconds : null;
        double? seconds = d.MonotonicDowntimeSeconds ?? wall;
        double? gap = d.SendingPausedAt is { } sp && d.SendingResumedAt is { } sr ? (sr - sp).TotalSeconds : null;
        var disagree = seconds is { } a && gap is { } b && Math.Abs(a - b) > Tolerance.TotalSeconds;
        return new Downtime(d.PausedAt, d.ResumedAt, seconds, d.MonotonicDowntimeSeconds, d.SendingPausedAt, d.SendingResumedAt, gap,
            windowBudget.TotalSeconds, seconds is { } s ? s / windowBudget.TotalSeconds : null, disagree,
            disagree ? $"the engine measured {seconds:0.0} s but the sending side reports a gap of {gap:0.0} s" : null);
    }
}
