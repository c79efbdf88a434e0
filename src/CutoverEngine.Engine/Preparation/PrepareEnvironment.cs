using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Preparation;

/// <summary>Lowers the TTLs and pre-authorises SPF (<see cref="PrepareRunner.PrepareAsync"/>); nothing when the
/// wave is no longer scheduled for the start this prepare runs ahead of.</summary>
public sealed class PrepareEnvironment(PrepareRunner preparation) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (PrepareData)context.Workflow.Data;
        await preparation.PrepareAsync(data, context.CancellationToken);
        return ExecutionResult.Next();
    }
}
