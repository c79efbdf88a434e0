using CutoverEngine.Engine.Hosting;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Preparation;

/// <summary>What an environment-prepare workflow carries.</summary>
public sealed class PrepareData
{
    public string WaveId { get; set; } = "";

    public string EnvironmentId { get; set; } = "";

    public string Actor { get; set; } = "";

    /// <summary>The scheduled start this prepare runs ahead of; null for a prepare asked for now.</summary>
    public DateTimeOffset? PlannedStart { get; set; }

    /// <summary>When the prepare runs: now, or the planned start less the lead (set by its first step).</summary>
    public DateTimeOffset? PrepareAt { get; set; }

    /// <summary>Why SPF was not pre-authorised, carried from the prepare step to the readiness check.</summary>
    public string? SpfRefused { get; set; }

    /// <summary>Set when the wave is no longer scheduled for <see cref="PlannedStart"/>: the rest does
    /// nothing.</summary>
    public bool Stale { get; set; }
}

/// <summary>
/// "environment-prepare" v1: one persisted WorkflowCore instance per environment and prepare. It fixes when to
/// run (<see cref="ScheduleEnvironmentPrepare"/>: now, or the planned start less the lead, never less than twice
/// the largest TTL it will lower), sleeps in the store until then, lowers the TTLs and pre-authorises SPF
/// (<see cref="PrepareEnvironment"/>), then checks readiness (<see cref="CheckEnvironmentReadiness"/>). Built in
/// code, like <see cref="Waves.WaveStartWorkflow"/>, rather than as workflows/prepare.v1.json: that format
/// describes cutovers (pause, window budget, rollback path, the forward safety order) and this has four fixed steps
/// and no pause to roll back from. Crash safety is the same as the cutover's: WorkflowCore persists after each
/// step, a step that throws is retried after <see cref="PrepareOptions.RetryInterval"/>, and each step is
/// idempotent (<see cref="EnvironmentPreparer"/>), so a kill in any step re-runs that step and changes nothing
/// twice.
/// </summary>
public sealed class PrepareWorkflow(PrepareOptions options) : IWorkflow<PrepareData>, IEngineWorkflow
{
    public const string DefinitionId = "environment-prepare";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<PrepareData> builder) =>
        builder
            .StartWith<ScheduleEnvironmentPrepare>()
            .Name("schedule-prepare")
            .OnError(WorkflowErrorHandling.Retry, options.RetryInterval)
            .Then<AwaitPrepareTime>()
            .Name("await-prepare-time")
            .Then<PrepareEnvironment>()
            .Name("prepare")
            .OnError(WorkflowErrorHandling.Retry, options.RetryInterval)
            .Then<CheckEnvironmentReadiness>()
            .Name("check-readiness")
            .OnError(WorkflowErrorHandling.Retry, options.RetryInterval);

    public void Register(IWorkflowRegistry registry)
    {
        if (!registry.IsRegistered(DefinitionId, DefinitionVersion))
            registry.RegisterWorkflow(this);
    }
}
