using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Preparation;

/// <summary>Fixes when the prepare runs: now, or for a scheduled start the planned start less the lead, read
/// against the TTLs live now (<see cref="PrepareRunner.PrepareAtAsync"/>).</summary>
public sealed class ScheduleEnvironmentPrepare(PrepareRunner preparation, TimeProvider clock) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (PrepareData)context.Workflow.Data;
        if (data.PrepareAt is null)
            data.PrepareAt = data.PlannedStart is { } start
                ? await preparation.PrepareAtAsync(data.EnvironmentId, start, context.CancellationToken)
                : clock.GetUtcNow();
        return ExecutionResult.Next();
    }
}
