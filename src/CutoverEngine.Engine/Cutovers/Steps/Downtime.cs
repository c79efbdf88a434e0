using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// The downtime of one cutover as the engine measured it and as the sending side saw it: the payload of the journal's
/// downtime-recorded entry, and part of an incident's.
/// </summary>
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
    string? Disagreement
) : IJournalPayload
{
    public const string Event = "downtime-recorded";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;

    /// <summary>Engine and sending side may differ by network and clock granularity; beyond this the report says
    /// so.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(2);

    public static Downtime Of(CutoverData d, TimeSpan windowBudget)
    {
        double? wall = d.PausedAt is { } p && d.ResumedAt is { } r ? (r - p).TotalSeconds : null;
        double? seconds = d.MonotonicDowntimeSeconds ?? wall;
        double? gap = d.SendingPausedAt is { } sp && d.SendingResumedAt is { } sr ? (sr - sp).TotalSeconds : null;
        var disagree = seconds is { } a && gap is { } b && Math.Abs(a - b) > Tolerance.TotalSeconds;
        return new Downtime(
            d.PausedAt,
            d.ResumedAt,
            seconds,
            d.MonotonicDowntimeSeconds,
            d.SendingPausedAt,
            d.SendingResumedAt,
            gap,
            windowBudget.TotalSeconds,
            seconds is { } s ? s / windowBudget.TotalSeconds : null,
            disagree,
            disagree ? $"the engine measured {seconds:0.0} s but the sending side reports a gap of {gap:0.0} s" : null
        );
    }
}
