using CutoverEngine.Domain.Waves;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// The starter of a process that runs no waves (the CLI's `wave start|resume`): the wave is already claimed in the
/// store (its row says running, the journal says who), and this writes a wave-start workflow marked handed over
/// (<see cref="WaveStartData.HandedOverBy"/>) into the shared store. The WorkflowCore poller of the `cutover serve`
/// running on that store (or of the next one started) wakes it and runs the wave; the next serve would also find
/// the row running and continue it, so a handover is never lost.
/// </summary>
public sealed class HandOverStarter(IWorkflowController workflows, TimeProvider clock, ILogger<HandOverStarter> logger)
    : IWaveStarter
{
    public async Task StartClaimedAsync(Wave wave, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var id = await workflows.StartWorkflow(
            WaveStartWorkflow.DefinitionId,
            WaveStartWorkflow.DefinitionVersion,
            new WaveStartData
            {
                WaveId = wave.Id,
                ScheduledFor = now,
                HandedOverBy = actor,
            },
            $"{wave.Id}@{now:O}/handover"
        );
        logger.LogInformation("Wave {Wave}: handed over to the engine as wave-start workflow {Instance}", wave.Id, id);
    }
}
