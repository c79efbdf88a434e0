using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Reverts;

/// <summary>
/// Starts the revert of an environment's completed cutover (definition <c>revert</c>): a workflow of its own that
/// pauses, puts addresses and records back as that cutover's snapshot found them, verifies the data-centre side and
/// resumes. Refused, changing nothing, when there is no completed cutover to revert, when it was reverted already, or
/// while a cutover of the environment is in flight. Asking again while the revert runs adopts the running one.
/// </summary>
public sealed class RevertLauncher(
    IWorkflowHost host,
    IPersistenceProvider store,
    DefinitionCatalog definitions,
    CutoverLauncher cutovers,
    Finalisation.FinaliseStore finalised
)
{
    public const string DefinitionId = "revert";

    /// <summary>The revert's workflow instance (a new one, or the one already running for the environment).</summary>
    public async Task<string> StartAsync(
        string environmentId,
        string reason,
        string actor,
        CancellationToken ct = default
    )
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new RevertRefusedException(
                $"a revert of {environmentId} needs a reason (--reason): it is journaled with who asked"
            );
        if (await cutovers.FindInFlightAsync(environmentId, ct) is { } running)
        {
            if (running.WorkflowDefinitionId == DefinitionId)
                return running.Id;
            throw new RevertRefusedException(
                $"{environmentId}: its cutover {running.Id} is still in flight; a revert undoes a completed cutover"
            );
        }
        var (cutover, data) =
            await LatestCompletedCutoverAsync(environmentId, ct)
            ?? throw new RevertRefusedException(
                $"{environmentId} has no completed cutover to revert (a rolled-back or failed cutover is back on the data centre already)"
            );
        if (data.Snapshot is null)
            throw new RevertRefusedException(
                $"{environmentId}: cutover {cutover.Id} recorded no snapshot of what it changed, so there is nothing to revert to"
            );
        if (await finalised.FindAsync(environmentId, cutover.Id, ct) is { } final)
            throw new RevertRefusedException(
                $"{environmentId}: cutover {cutover.Id} was finalised at {final.FinalisedAt:u} by {final.Actor} (TTLs restored, the old addresses out of SPF), so there is no data-centre side to revert to"
            );
        if (await CompletedRevertOfAsync(cutover.Id, ct) is { } reverted)
            throw new RevertRefusedException(
                $"{environmentId}: cutover {cutover.Id} was reverted already by {reverted.Id} at {reverted.CompleteTime:u}; cut it over again first"
            );
        var definition = definitions.Latest(DefinitionId);
        var revertOf = new RevertedCutover
        {
            InstanceId = cutover.Id,
            CompletedAt = cutover.CompleteTime is { } done ? new DateTimeOffset(done, TimeSpan.Zero) : null,
            Snapshot = data.Snapshot,
            Reason = reason.Trim(),
        };
        // The facts the cutover moved (its stored subjects), not today's inventory: the revert undoes exactly what was
        // done. A range group moves back together, as it moved.
        CutoverData RevertOf(CutoverData moved) =>
            new()
            {
                WaveId = data.WaveId,
                Subject = moved.Subject,
                DefinitionId = definition.Id,
                DefinitionVersion = definition.Version,
                DefinitionHash = definition.ContentHash,
                StartedBy = actor,
                RevertOf = revertOf,
            };
        var revert = RevertOf(data);
        revert.Companions = [.. data.Companions.Select(RevertOf)];
        return await host.StartWorkflow(
            definition.Id,
            definition.Version,
            revert,
            $"{data.WaveId}/{data.Subject.EnvironmentId}/revert"
        );
    }

    /// <summary>Follows a revert (or any cutover) to its end; one summary per environment it moves.</summary>
    public async Task<IReadOnlyList<CutoverSummary>> WaitAsync(
        string instanceId,
        TimeSpan pollInterval,
        CancellationToken ct = default
    )
    {
        while (true)
        {
            var summaries = await cutovers.ReadAllAsync(instanceId, ct);
            if (summaries[0].IsFinished)
                return summaries;
            await Task.Delay(pollInterval, ct);
        }
    }

    // WorkflowCore's filtered listing (obsolete in favour of its search index) is the store's real query; see
    // CutoverLauncher.FindInFlightAsync.
#pragma warning disable CS0612
    async Task<(WorkflowInstance Instance, CutoverData Data)?> LatestCompletedCutoverAsync(
        string environmentId,
        CancellationToken ct
    )
    {
        var complete = await store.GetWorkflowInstances(
            WorkflowStatus.Complete,
            CutoverLauncher.DefinitionId,
            null,
            null,
            0,
            100_000
        );
        ct.ThrowIfCancellationRequested();
        // The environment's latest finished cutover decides: one that rolled back after a completed one left it on
        // the data centre.
        var latest = complete
            .Where(i => i.Data is CutoverData d && d.Moved().Any(m => m.Subject.EnvironmentId == environmentId))
            .MaxBy(i => i.CompleteTime ?? i.CreateTime);
        return latest is { Data: CutoverData data } && data.Outcome == CutoverOutcomes.Completed
            ? (latest, data)
            : null;
    }

    /// <summary>The completed revert of <paramref name="cutoverInstance"/>, or null.</summary>
    public Task<WorkflowInstance?> CompletedRevertOfAsync(string cutoverInstance, CancellationToken ct) =>
        CompletedReverts.OfAsync(store, cutoverInstance, ct);
#pragma warning restore CS0612
}
