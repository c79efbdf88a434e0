using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Preparation;

/// <summary>Sleeps durably until the prepare's instant (as <see cref="Waves.AwaitScheduledTime"/> does).</summary>
public sealed class AwaitPrepareTime(TimeProvider clock) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (PrepareData)context.Workflow.Data;
        var at = data.PrepareAt ?? clock.GetUtcNow();
        var wait = at - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? ExecutionResult.Sleep(wait, at) : ExecutionResult.Next();
    }
}
