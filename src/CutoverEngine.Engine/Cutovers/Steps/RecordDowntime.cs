using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Records the downtime by both measurements, per environment the cutover moves, and closes the cutover as
/// completed.</summary>
[CutoverStepKind(nameof(RecordDowntime), Paths = StepPaths.Forward, RequiredIn = StepPaths.Forward, ForwardOrder = 8)]
public sealed class RecordDowntime(StepFrameServices frame, BlastRadius.BlastRadiusCheck blastRadius)
    : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var recorded = new List<Downtime>();
        foreach (var member in run.Data.Moved())
        {
            member.Outcome = CutoverOutcome.Completed.ToWireName();
            var downtime = Downtime.Of(member, run.WindowBudget);
            await Journal(run, member, downtime);
            recorded.Add(downtime);
        }
        if (!run.Data.BlastRadiusJournaled && await blastRadius.CheckAsync(run, ct) is { } proof)
        {
            await Journal(run, proof);
            run.Data.BlastRadiusJournaled = true;
        }
        var lead = recorded[0];
        return StepResult.Done(
            $"downtime {lead.DowntimeSeconds:0.0} s (sending side: {lead.SendingGapSeconds:0.0} s)"
                + (recorded.Count > 1 ? $"; {recorded.Count - 1} more environment(s) of the range group recorded" : ""),
            recorded.Count == 1 ? lead : recorded
        );
    }
}
