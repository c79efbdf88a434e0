using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// The wave's sleeping WorkflowCore workflows (the start trigger, the reminder): listing the runnable instances of a
/// definition with their data, and terminating one that a reschedule, cancel or move made stale.
/// </summary>
public sealed class SleepingWorkflows(IWorkflowController workflows, IPersistenceProvider persistence)
{
    /// <summary>How long terminating waits for a worker that holds the instance. One just started is picked up at
    /// once to run its first step (the sleep), holding WorkflowCore's lock for a moment, and TerminateWorkflow gives
    /// up without waiting while the lock is held.</summary>
    public static readonly TimeSpan TerminateLockWait = TimeSpan.FromSeconds(5);

    /// <summary>The runnable instances of <paramref name="definitionId"/> whose data is a <typeparamref
    /// name="TData"/>.</summary>
    public async Task<IReadOnlyList<(WorkflowInstance Instance, TData Data)>> ListAsync<TData>(
        string definitionId,
        CancellationToken ct
    )
    {
        var found = new List<(WorkflowInstance, TData)>();
        const int page = 500;
        for (var skip = 0; ; skip += page)
        {
            ct.ThrowIfCancellationRequested();
            // WorkflowCore points to its search index instead; the engine's SQLite store implements this listing
            // as a plain query
#pragma warning disable CS0612
            var batch = (
                await persistence.GetWorkflowInstances(WorkflowStatus.Runnable, definitionId, null, null, skip, page)
            ).ToList();
#pragma warning restore CS0612
            foreach (var i in batch)
                if (i.Data is TData d)
                    found.Add((i, d));
            if (batch.Count < page)
                return found;
        }
    }

    /// <summary>Terminates the instance; false when a worker held it for longer than <see
    /// cref="TerminateLockWait"/>.</summary>
    public async Task<bool> TerminateAsync(string instanceId)
    {
        // Waits on real time, not the engine's clock: the lock is held for one step's execution, milliseconds.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await workflows.TerminateWorkflow(instanceId))
        {
            if (waited.Elapsed >= TerminateLockWait)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
        return true;
    }
}
