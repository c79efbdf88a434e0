using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Closes a rolled-back cutover: its cause, what the rollback could not restore, and the downtime, for
/// every environment the cutover moves (a range group rolls back as one).</summary>
[CutoverStepKind(nameof(RecordIncident), Paths = StepPaths.Rollback, RequiredIn = StepPaths.Rollback, Last = true)]
public sealed class RecordIncident(
    StepFrameServices frame,
    BlastRadius.BlastRadiusCheck blastRadius,
    Safety.PauseSlots pauseSlots
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        // Released at resume already, unless that failed: the cutover ends here, and a pause it could not end is the
        // sending side's lease to lapse, not a slot to keep from the others.
        await pauseSlots.ReleaseAsync(run, ct);
        var outcome =
            data.RollbackProblems.Count > 0 || data.PausedAt is null
                ? CutoverOutcome.Failed
                : CutoverOutcome.RolledBack;
        var recorded = new List<Downtime>();
        foreach (var member in data.Moved())
        {
            member.Outcome = outcome.ToWireName();
            var downtime = Downtime.Of(member, run.WindowBudget);
            await Journal(
                run,
                member,
                new IncidentPayload(
                    member.Outcome,
                    data.RollbackCause,
                    data.RollbackStep,
                    data.RollbackProblems,
                    downtime
                )
            );
            recorded.Add(downtime);
        }
        if (!run.Data.BlastRadiusJournaled && await blastRadius.CheckAsync(run, ct) is { } proof)
        {
            await Journal(run, proof);
            run.Data.BlastRadiusJournaled = true;
        }
        return StepResult.Done($"{data.Outcome}: {data.RollbackCause}", recorded.Count == 1 ? recorded[0] : recorded);
    }
}
