using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>At the reminder's instant: remind the customers if the wave is still scheduled for that start; the
/// reminders the relay refused are tried again after <see cref="NoticeReminderOptions.RetryInterval"/>.</summary>
public sealed class SendWaveReminder(WaveReminders reminders, NoticeReminderOptions options) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (WaveReminderData)context.Workflow.Data;
        var owed = await reminders.OnDueAsync(data.WaveId, data.ScheduledFor, context.CancellationToken);
        // A durable sleep runs this step again: the claims say which reminders are still owed.
        return owed == 0 ? ExecutionResult.Next() : ExecutionResult.Sleep(options.RetryInterval, null);
    }
}
