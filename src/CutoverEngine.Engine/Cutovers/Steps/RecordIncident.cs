using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Closes a rolled-back cutover: its cause, what the rollback could not restore, and the downtime.</summary>
[CutoverStepKind(nameof(RecordIncident), Paths = StepPaths.Rollback, RequiredIn = StepPaths.Rollback, Last = true)]
public sealed class RecordIncident(StepFrameServices frame) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        var outcome =
            data.RollbackProblems.Count > 0 || data.PausedAt is null
                ? CutoverOutcome.Failed
                : CutoverOutcome.RolledBack;
        data.Outcome = outcome.ToWireName();
        var downtime = Downtime.Of(data, run.WindowBudget);
        await Journal(
            run,
            new IncidentPayload(data.Outcome, data.RollbackCause, data.RollbackStep, data.RollbackProblems, downtime)
        );
        return StepResult.Done($"{data.Outcome}: {data.RollbackCause}", downtime);
    }
}
