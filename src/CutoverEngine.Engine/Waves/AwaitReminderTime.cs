using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>Sleeps durably until the reminder's instant (as <see cref="AwaitScheduledTime"/> does).</summary>
public sealed class AwaitReminderTime(TimeProvider clock) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (WaveReminderData)context.Workflow.Data;
        var wait = data.RemindAt - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? ExecutionResult.Sleep(wait, data.RemindAt) : ExecutionResult.Next();
    }
}
