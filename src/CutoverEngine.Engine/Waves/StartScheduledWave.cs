using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>At the scheduled instant: start (within the grace period), mark missed, wait while blocked, or do nothing
/// for a stale trigger; or run a wave another process claimed and handed over.</summary>
public sealed class StartScheduledWave(WaveScheduler scheduler) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (WaveStartData)context.Workflow.Data;
        if (data.HandedOverBy is { } actor)
            await scheduler.OnHandedOverAsync(data.WaveId, actor, context.CancellationToken);
        else if (
            await scheduler.OnDueAsync(data.WaveId, data.ScheduledFor, context.CancellationToken) == DueOutcome.Blocked
        )
            // The same step runs again after the sleep (WorkflowCore keeps the instance sleeping in its store), so a
            // blocked wave is retried durably, across restarts, until it starts or the grace period makes it missed.
            return ExecutionResult.Sleep(scheduler.BlockedRetryInterval, data.ScheduledFor);
        return ExecutionResult.Next();
    }
}
