using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Reverts;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>What finalise made of one environment of the wave.</summary>
public enum FinaliseVerdict
{
    /// <summary>Finalised now: TTLs and SPF put right, journaled; no revert from here on.</summary>
    Finalised,

    /// <summary>Finalised before; nothing done.</summary>
    AlreadyFinalised,

    /// <summary>Its soak is not over (<see cref="EnvironmentFinaliseResult.DueAt"/>); nothing done.</summary>
    NotDue,

    /// <summary>It cannot be finalised yet (range still announced from the data centre, a cutover in flight);
    /// nothing changed, journaled finalise-blocked.</summary>
    Blocked,

    /// <summary>Nothing of it is on AWS to finalise (its cutover rolled back, failed, or was reverted).</summary>
    NothingToFinalise,
}

/// <summary>One environment's finalise result.</summary>
public sealed record EnvironmentFinaliseResult(
    string EnvironmentId,
    FinaliseVerdict Verdict,
    string? Why,
    DateTimeOffset? DueAt
);

/// <summary>
/// Finalise as engineers and the automatic finalise ask for it, per wave (`cutover wave finalise`,
/// POST /api/waves/{id}/finalise, <see cref="FinaliseWorkflow"/>): for each environment whose cutover completed and
/// soaked for <see cref="FinaliseOptions.Soak"/> (or earlier with a reason, journaled), confirm a BYOIP range is
/// announced only by AWS, then put the TTLs back and take the old addresses out of SPF
/// (<see cref="EnvironmentFinaliser"/>), journal environment-finalised and record it, after which a revert is
/// refused. The record is written last: a crash before it leaves the cutover revertible and finalise re-runs,
/// finding the zone already put right. The price: a revert asked for in the same instant as a finalise, after the
/// in-flight check and before the record, still starts; it then moves the environment back on records finalise has
/// already put right, which is what the operator asked for.
/// </summary>
public sealed class WaveFinalisation(
    WaveStore waves,
    Inventory inventory,
    CutoverLauncher cutovers,
    RevertLauncher reverts,
    IPersistenceProvider workflows,
    FinaliseStore store,
    EnvironmentFinaliser finaliser,
    FinaliseOptions options,
    ICutoverJournal journal,
    TimeProvider clock,
    ILogger<WaveFinalisation> logger
)
{
    public FinaliseOptions Options => options;

    public async Task<IReadOnlyList<EnvironmentFinaliseResult>> FinaliseAsync(
        string waveId,
        string actor,
        string? earlyReason = null,
        CancellationToken ct = default
    )
    {
        var wave = await waves.GetAsync(waveId, ct);
        if (wave.State != WaveState.Completed)
            throw new WaveStateException(
                $"Cannot finalise wave '{waveId}': it is {WaveNames.Of(wave.State)}; finalise comes after a completed wave and its soak."
            );
        var early = string.IsNullOrWhiteSpace(earlyReason) ? null : earlyReason.Trim();
        var recorded = await waves.CutoversAsync(waveId, ct);
        var results = new List<EnvironmentFinaliseResult>();
        foreach (var environmentId in wave.Environments)
        {
            ct.ThrowIfCancellationRequested();
            var result = recorded.TryGetValue(environmentId, out var c)
                ? await FinaliseOneAsync(waveId, environmentId, c.InstanceId, c.Outcome, actor, early, ct)
                : new EnvironmentFinaliseResult(
                    environmentId,
                    FinaliseVerdict.NothingToFinalise,
                    "never started",
                    null
                );
            results.Add(result);
        }
        logger.LogInformation(
            "Wave {Wave} finalise by {Actor}: {Results}",
            waveId,
            actor,
            string.Join(", ", results.Select(r => $"{r.EnvironmentId} {r.Verdict}"))
        );
        return results;
    }

    async Task<EnvironmentFinaliseResult> FinaliseOneAsync(
        string waveId,
        string environmentId,
        string cutover,
        string? outcome,
        string actor,
        string? early,
        CancellationToken ct
    )
    {
        EnvironmentFinaliseResult Result(FinaliseVerdict v, string? why = null, DateTimeOffset? due = null) =>
            new(environmentId, v, why, due);
        if (outcome != CutoverOutcomes.Completed)
            return Result(FinaliseVerdict.NothingToFinalise, $"its cutover {outcome ?? "has not finished"}");
        if (await store.FindAsync(environmentId, cutover, ct) is { } done)
            return Result(FinaliseVerdict.AlreadyFinalised, $"finalised at {done.FinalisedAt:u} by {done.Actor}");
        if (await reverts.CompletedRevertOfAsync(cutover, ct) is { } revert)
            return Result(FinaliseVerdict.NothingToFinalise, $"reverted by {revert.Id}: it is back on the data centre");
        var instance = await workflows.GetWorkflowInstance(cutover, ct);
        var due = instance.CompleteTime is { } completed
            ? new DateTimeOffset(completed, TimeSpan.Zero) + options.Soak
            : clock.GetUtcNow();
        if (due > clock.GetUtcNow() && early is null)
            return Result(
                FinaliseVerdict.NotDue,
                $"its soak of {options.Soak.TotalDays:0.#} days is over at {due:u} (finalise earlier only with a reason)",
                due
            );
        async Task<EnvironmentFinaliseResult> BlockedAsync(string why)
        {
            await journal.AppendAsync(
                JournalEvent.Of(new FinaliseBlockedPayload(cutover, why), actor) with
                {
                    Wave = waveId,
                    Environment = environmentId,
                },
                ct
            );
            return Result(FinaliseVerdict.Blocked, why, due);
        }
        if (await cutovers.FindInFlightAsync(environmentId, ct) is { } running)
            return await BlockedAsync($"{running.WorkflowDefinitionId} {running.Id} is in flight");
        if (inventory.FindEnvironment(environmentId) is not { } environment)
            return await BlockedAsync("it is no longer in the inventory, whose facts finalise needs");
        var range = await finaliser.ConfirmRangeAsync(environment, ct);
        if (range is { Confirmed: false })
            return await BlockedAsync(range.Why!);
        var ttls = await finaliser.RestoreTtlsAsync(environment, ct);
        var spf = await finaliser.RetireOldAddressesFromSpfAsync(environment, ct);
        var old = await finaliser.OldAddressesAsync(environment, ct);
        await journal.AppendAsync(
            JournalEvent.Of(new EnvironmentFinalisedPayload(cutover, ttls, spf, range, old, early), actor) with
            {
                Wave = waveId,
                Environment = environmentId,
            },
            ct
        );
        await store.RecordAsync(
            new EnvironmentFinalisation(environmentId, cutover, waveId, clock.GetUtcNow(), actor, early),
            ct
        );
        return Result(FinaliseVerdict.Finalised);
    }
}
