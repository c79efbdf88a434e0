using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Reverts;

/// <summary>Whether a completed cutover was reverted: the one question the revert launcher, finalise and the wave
/// rules (an environment reverted may join a wave again) ask of WorkflowCore's store.</summary>
public static class CompletedReverts
{
    // WorkflowCore's filtered listing (obsolete in favour of its search index) is the store's real query; see
    // CutoverLauncher.FindInFlightAsync.
#pragma warning disable CS0612
    /// <summary>The completed revert of <paramref name="cutoverInstance"/>, or null.</summary>
    public static async Task<WorkflowInstance?> OfAsync(
        IPersistenceProvider store,
        string cutoverInstance,
        CancellationToken ct
    )
    {
        var complete = await store.GetWorkflowInstances(
            WorkflowStatus.Complete,
            RevertLauncher.DefinitionId,
            null,
            null,
            0,
            100_000
        );
        ct.ThrowIfCancellationRequested();
        return complete.FirstOrDefault(i =>
            i.Data is CutoverData { Outcome: CutoverOutcomes.Completed } d && d.RevertOf?.InstanceId == cutoverInstance
        );
    }
#pragma warning restore CS0612
}
