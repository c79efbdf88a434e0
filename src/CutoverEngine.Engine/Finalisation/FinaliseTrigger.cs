using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>Arms a wave's automatic finalise (<see cref="FinaliseWorkflow"/>) when <see
/// cref="FinaliseOptions.Automatic"/>; otherwise finalise waits for `cutover wave finalise`.</summary>
public sealed class FinaliseTrigger(
    IWorkflowController workflows,
    FinaliseOptions options,
    ILogger<FinaliseTrigger> logger
)
{
    /// <summary>Hands a finalise of the wave now to the engine (`cutover wave finalise`): one pass by
    /// <paramref name="actor"/>, its results in the workflow's data.</summary>
    public Task<string> FinaliseOnceAsync(string waveId, string actor, string? earlyReason) =>
        workflows.StartWorkflow(
            FinaliseWorkflow.DefinitionId,
            FinaliseWorkflow.DefinitionVersion,
            new FinaliseData
            {
                WaveId = waveId,
                Actor = actor,
                EarlyReason = earlyReason,
                Once = true,
            },
            $"{waveId}/finalise-now"
        );

    public async Task ArmAsync(string waveId)
    {
        if (!options.Automatic)
            return;
        var id = await workflows.StartWorkflow(
            FinaliseWorkflow.DefinitionId,
            FinaliseWorkflow.DefinitionVersion,
            new FinaliseData { WaveId = waveId },
            $"{waveId}/finalise"
        );
        logger.LogInformation(
            "Wave {Wave}: finalise armed ({Instance}), after a soak of {Soak}",
            waveId,
            id,
            options.Soak
        );
    }
}
