using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;

namespace CutoverEngine.Server.Pages;

/// <summary>
/// One environment of a running wave as the live page shows it, from the journal: the step it is in (or last
/// finished), how long its sending has been paused so far, and the share of its window budget that is.
/// </summary>
public sealed record LiveRow(
    string Environment,
    string Outcome,
    string? Step,
    double? PausedSeconds,
    double? BudgetShare
)
{
    public static LiveRow Of(EnvironmentReport e, DateTimeOffset now)
    {
        var step =
            e.Steps.LastOrDefault(s => s.State == StepStates.Running)?.Step
            ?? (e.Steps.Count > 0 ? e.Steps[^1].Step : null);
        double? paused = e.PausedAt is { } at ? Math.Max(0, ((e.ResumedAt ?? now) - at).TotalSeconds) : null;
        double? share = paused is { } p && e.WindowBudgetSeconds is > 0 and var budget ? p / budget : null;
        return new(e.Environment, e.Outcome, step, paused, share);
    }
}
