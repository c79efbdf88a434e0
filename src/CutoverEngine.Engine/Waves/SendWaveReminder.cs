using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>At the reminder's instant: remind the customers if the wave is still scheduled for that start.</summary>
public sealed class SendWaveReminder(WaveReminders reminders) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (WaveReminderData)context.Workflow.Data;
        await reminders.OnDueAsync(data.WaveId, data.ScheduledFor, context.CancellationToken);
        return ExecutionResult.Next();
    }
}
