using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Records the downtime by both measurements and closes the cutover as completed.</summary>
[CutoverStepKind(nameof(RecordDowntime), Paths = StepPaths.Forward, RequiredIn = StepPaths.Forward, ForwardOrder = 8)]
public sealed class RecordDowntime(StepFrameServices frame) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        run.Data.Outcome = CutoverOutcome.Completed.ToWireName();
        var downtime = Downtime.Of(run.Data, run.WindowBudget);
        await Journal(run, downtime);
        return StepResult.Done(
            $"downtime {downtime.DowntimeSeconds:0.0} s (sending side: {downtime.SendingGapSeconds:0.0} s)",
            downtime
        );
    }
}
