using CutoverEngine.Engine.Hosting;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Waves;

/// <summary>What a wave-start workflow carries: the wave and the start it was scheduled for (its claim key).</summary>
public sealed class WaveStartData
{
    public string WaveId { get; set; } = "";

    public DateTimeOffset ScheduledFor { get; set; }

    /// <summary>
    /// Set when the wave was already claimed (started or resumed by a process that runs no waves, the CLI): the
    /// woken workflow hands the running wave to this host's runner instead of claiming it. Null for a schedule.
    /// </summary>
    public string? HandedOverBy { get; set; }
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

    public void Build(IWorkflowBuilder<WaveStartData> builder) =>
        builder
            .StartWith<AwaitScheduledTime>()
            .Name("await-scheduled-time")
            .Then<StartScheduledWave>()
            .Name("start-wave");

    public void Register(IWorkflowRegistry registry)
    {
        if (!registry.IsRegistered(DefinitionId, DefinitionVersion))
            registry.RegisterWorkflow(this);
    }
}
