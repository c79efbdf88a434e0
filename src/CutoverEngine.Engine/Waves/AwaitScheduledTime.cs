using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// Sleeps durably until the wave's scheduled instant. Woken early (a clock that moved), it sleeps again for the
/// rest; there is no cap on the length of a sleep, it is a row in the store. WorkflowCore 3.22 runs a sleeping step
/// once its clock is strictly past the instant (<c>SleepUntil &lt; UtcNow</c>), i.e. one tick after it.
/// </summary>
public sealed class AwaitScheduledTime(TimeProvider clock) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (WaveStartData)context.Workflow.Data;
        var wait = data.ScheduledFor - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? ExecutionResult.Sleep(wait, data.ScheduledFor) : ExecutionResult.Next();
    }
}
