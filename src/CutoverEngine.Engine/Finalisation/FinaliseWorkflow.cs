using CutoverEngine.Engine.Hosting;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>What a wave-finalise workflow carries.</summary>
public sealed class FinaliseData
{
    public string WaveId { get; set; } = "";

    /// <summary>Who asked: <see cref="FinaliseWhenDue.Actor"/> for the automatic finalise, else the engineer.</summary>
    public string Actor { get; set; } = FinaliseWhenDue.Actor;

    /// <summary>Why environments whose soak is not over are finalised anyway; null waits for each soak.</summary>
    public string? EarlyReason { get; set; }

    /// <summary>Asked for once (`cutover wave finalise`): one pass, then the workflow ends with its results, rather
    /// than sleeping until the rest is due.</summary>
    public bool Once { get; set; }

    /// <summary>What the last pass made of each environment.</summary>
    public List<EnvironmentFinaliseResult> Results { get; set; } = [];
}

/// <summary>
/// "wave-finalise" v1: the automatic finalise of a wave, armed as the wave completes (<see
/// cref="Waves.WaveRunner"/>) when <see cref="FinaliseOptions.Automatic"/>. One step (<see cref="FinaliseWhenDue"/>)
/// that sleeps in WorkflowCore's store until the first cutover's soak is over, finalises what is due, and sleeps
/// again while some environment is not due or blocked; so it survives restarts like the wave-start trigger, and a
/// second one armed by a replay finds everything finalised already. Built in code, like <see
/// cref="Preparation.PrepareWorkflow"/>.
/// </summary>
public sealed class FinaliseWorkflow(FinaliseOptions options) : IWorkflow<FinaliseData>, IEngineWorkflow
{
    public const string DefinitionId = "wave-finalise";
    public const int DefinitionVersion = 1;

    public string Id => DefinitionId;

    public int Version => DefinitionVersion;

    public void Build(IWorkflowBuilder<FinaliseData> builder) =>
        builder
            .StartWith<FinaliseWhenDue>()
            .Name("finalise-when-due")
            .OnError(WorkflowErrorHandling.Retry, options.RetryInterval);

    public void Register(IWorkflowRegistry registry)
    {
        if (!registry.IsRegistered(DefinitionId, DefinitionVersion))
            registry.RegisterWorkflow(this);
    }
}
