using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Preparation;

/// <summary>Checks and journals the environment's readiness after its prepare.</summary>
public sealed class CheckEnvironmentReadiness(PrepareRunner preparation) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (PrepareData)context.Workflow.Data;
        if (!data.Stale)
            await preparation.CheckReadinessAsync(data, context.CancellationToken);
        return ExecutionResult.Next();
    }
}
