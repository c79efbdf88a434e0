using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Preparation;

/// <summary>An environment's prepare state as `wave show` and `plan` print it.</summary>
public sealed record PrepareState(
    string EnvironmentId,
    bool Required,
    EnvironmentReadiness? Readiness,
    IReadOnlyList<RememberedTtl> Ttls,
    IReadOnlyList<AddedSpfMechanism> Spf,
    IReadOnlyList<ReadinessReason> GateReasons
);

/// <summary>
/// Prepare as engineers and the scheduler ask for it, in any process (the CLI too: it writes the workflows into the
/// shared store, and the engine of `cutover serve` runs them): now for a wave (`cutover wave prepare`,
/// POST /api/waves/{id}/prepare), or armed ahead of a scheduled start; and the start gate, which reads only the
/// store. The gate's rule: an environment <see cref="PrepareOptions.IsRequiredFor"/> must have a readiness verdict
/// that is ready, and every TTL it lowered must be in force for the old TTL's worth of time now (recomputed at the
/// start, <see cref="TtlElapsedRule"/>, since the verdict may predate that).
/// </summary>
public sealed class WavePreparation(
    WaveStore waves,
    PrepareStore store,
    PrepareOptions options,
    Inventory inventory,
    IWorkflowController workflows,
    ICutoverJournal journal,
    TimeProvider clock,
    ILogger<WavePreparation> logger
)
{
    /// <summary>The policy rule name of the start gate's violations.</summary>
    public const string GateRule = "prepare";

    public PrepareOptions Options => options;

    /// <summary>Starts a prepare of every environment of the wave now; returns the workflow instance ids.</summary>
    public async Task<IReadOnlyList<(string Environment, string Instance)>> PrepareNowAsync(
        string waveId,
        string actor,
        CancellationToken ct = default
    )
    {
        var wave = await waves.GetAsync(waveId, ct);
        if (wave.State is not (WaveState.Draft or WaveState.Scheduled or WaveState.Missed))
            throw new WaveStateException(
                $"Cannot prepare wave '{waveId}': it is {WaveNames.Of(wave.State)}; prepare comes before the start."
            );
        inventory.Select(wave.Environments);
        var now = clock.GetUtcNow();
        var started = new List<(string, string)>();
        foreach (var environment in wave.Environments)
        {
            var id = await workflows.StartWorkflow(
                PrepareWorkflow.DefinitionId,
                PrepareWorkflow.DefinitionVersion,
                new PrepareData
                {
                    WaveId = waveId,
                    EnvironmentId = environment,
                    Actor = actor,
                },
                $"{waveId}/{environment}@{now:O}/prepare"
            );
            started.Add((environment, id));
        }
        logger.LogInformation(
            "Wave {Wave}: prepare of {Count} environment(s) started by {Actor}",
            waveId,
            started.Count,
            actor
        );
        return started;
    }

    /// <summary>Arms a prepare of every environment ahead of the wave's scheduled start at <paramref name="at"/>
    /// (the first step of each fixes the instant from the live TTLs); a prepare for a start the wave no longer has
    /// does nothing.</summary>
    public async Task ArmAsync(Wave wave, DateTimeOffset at, CancellationToken ct = default)
    {
        if (at - options.Lead <= clock.GetUtcNow())
        {
            // Scheduled closer than the lead: too late for the resolvers to forget long TTLs by the start; an
            // engineer prepares now, knowingly (`cutover wave prepare`), and the gate says what is still missing.
            logger.LogInformation(
                "Wave {Wave}: starts {At:u}, within the prepare lead {Lead}; no prepare armed, run `cutover wave prepare`",
                wave.Id,
                at,
                options.Lead
            );
            return;
        }
        foreach (var environment in wave.Environments)
        {
            ct.ThrowIfCancellationRequested();
            await workflows.StartWorkflow(
                PrepareWorkflow.DefinitionId,
                PrepareWorkflow.DefinitionVersion,
                new PrepareData
                {
                    WaveId = wave.Id,
                    EnvironmentId = environment,
                    Actor = WaveScheduler.Actor,
                    PlannedStart = at,
                },
                $"{wave.Id}/{environment}@{at:O}/scheduled-prepare"
            );
        }
    }

    /// <summary>Why the environments of <paramref name="wave"/> may not start now, one violation per reason.</summary>
    public async Task<IReadOnlyList<PolicyViolation>> GateViolationsAsync(Wave wave, CancellationToken ct = default)
    {
        var violations = new List<PolicyViolation>();
        foreach (var environment in inventory.Select(wave.Environments))
            if (options.IsRequiredFor(environment))
                foreach (var reason in await GateReasonsAsync(environment.Id, ct))
                    violations.Add(
                        new PolicyViolation(environment.Id, GateRule, $"{environment.Id}: {reason.Message}")
                    );
        return violations;
    }

    async Task<IReadOnlyList<ReadinessReason>> GateReasonsAsync(string environmentId, CancellationToken ct)
    {
        var readiness = await store.ReadinessAsync(environmentId, ct);
        if (readiness is null)
            return
            [
                new("not-prepared", "not prepared: run `cutover wave prepare` (or wait for the scheduled prepare)"),
            ];
        var reasons = readiness.Reasons.Where(r => r.Code != ReadinessChecks.TtlNotElapsed).ToList();
        var now = clock.GetUtcNow();
        foreach (var ttl in await store.TtlsAsync(environmentId, ct))
            if (
                ttl.LoweredAt is { } at
                && TtlElapsedRule.Remaining(at, TimeSpan.FromSeconds(ttl.OriginalTtl), now) is { } left
                && left > TimeSpan.Zero
            )
                reasons.Add(
                    new(
                        ReadinessChecks.TtlNotElapsed,
                        $"{ttl.Name} {ttl.Type}: the old {ttl.OriginalTtl} s TTL may still be cached for {left.TotalSeconds:0} s"
                    )
                );
        return reasons;
    }

    public async Task<PrepareState> StateAsync(string environmentId, CancellationToken ct = default)
    {
        var environment = inventory.Environments.FirstOrDefault(e => e.Id == environmentId);
        return new PrepareState(
            environmentId,
            environment is not null && options.IsRequiredFor(environment),
            await store.ReadinessAsync(environmentId, ct),
            await store.TtlsAsync(environmentId, ct),
            await store.SpfAsync(environmentId, ct),
            await GateReasonsAsync(environmentId, ct)
        );
    }

    /// <summary>
    /// Takes every environment the gate would stop out of the (draft, scheduled or missed) wave, each journaled
    /// environment-dropped with its reasons; returns them. A wave that would be left empty is refused.
    /// </summary>
    public async Task<IReadOnlyList<string>> DropUnreadyAsync(
        string waveId,
        string actor,
        CancellationToken ct = default
    )
    {
        var wave = await waves.GetAsync(waveId, ct);
        if (wave.State is not (WaveState.Draft or WaveState.Scheduled or WaveState.Missed))
            return [];
        var unready = (await GateViolationsAsync(wave, ct)).GroupBy(v => v.EnvironmentId).ToList();
        if (unready.Count == 0)
            return [];
        if (unready.Count == wave.Environments.Count)
            throw new WaveStateException(
                $"Wave '{waveId}': no environment is prepared and ready ({string.Join("; ", unready.SelectMany(g => g).Select(v => v.Message))}); dropping them all would leave it empty."
            );
        var dropped = new List<string>();
        foreach (var group in unready)
        {
            if (!await waves.TryDropEnvironmentAsync(group.Key, wave, clock.GetUtcNow(), ct))
                throw new WaveStateException($"Wave '{waveId}' changed meanwhile; read it again and retry.");
            await journal.AppendAsync(
                JournalEvent.Of(
                    new EnvironmentDroppedPayload("not prepared and ready", [.. group.Select(v => v.Message)]),
                    actor
                ) with
                {
                    Wave = waveId,
                    Environment = group.Key,
                },
                ct
            );
            dropped.Add(group.Key);
        }
        return dropped;
    }
}
