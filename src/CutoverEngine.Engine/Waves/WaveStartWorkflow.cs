using CutoverEngine.Engine.Hosting;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>What a wave-start workflow carries: the wave and the start it was scheduled for (its claim key).</summary>
public sealed class WaveStartData
{
    public string WaveId { get; set; } = "";

    public DateTimeOffset ScheduledFor { get; set; }
}

/// <summary>
/// "wave-start" v1: one persisted WorkflowCore instance per scheduled start. It sleeps in WorkflowCore's store
/// (the engine's SQLite file) until the planned instant, then hands the start to
/// <see cref="WaveScheduler.OnDueAsync"/> (grace decision, atomic claim). Built in code rather than from
/// workflows/*.json: that format describes cutovers (required steps, budgets, rollback) and this workflow has two
/// fixed steps and nothing to tune. A change of its steps is a new <see cref="Version"/> registered next to the old
/// one, so instances already sleeping finish on the version they started with (see workflows/README.md).
/// </summary>
public sealed class WaveStartWorkflow : IWorkflow<WaveStartData>, IEngineWorkflow
{
    public const string DefinitionId = "wave-start";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<WaveStartData> builder) => builder
        .StartWith<AwaitScheduledTime>().Name("await-scheduled-time")
        .Then<StartScheduledWave>().Name("start-wave");

    public void Register(IWorkflowRegistry registry)
    {
        if (!registry.IsRegistered(DefinitionId, DefinitionVersion)) registry.RegisterWorkflow(this);
    }
}

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

/// <summary>At the scheduled instant: start (within the grace period), mark missed, or do nothing for a stale trigger.</summary>
public sealed class StartScheduledWave(WaveScheduler scheduler) : StepBodyAsync
{
    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (WaveStartData)context.Workflow.Data;
        await scheduler.OnDueAsync(data.WaveId, data.ScheduledFor, context.CancellationToken);
        return ExecutionResult.Next();
    }
}
