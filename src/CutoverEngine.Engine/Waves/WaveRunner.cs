using System.Collections.Concurrent;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// Runs a wave's cutovers through <see cref="CutoverLauncher"/>: in the wave's order, at most its parallel cap at
/// once. Before each start it re-reads the wave, so a stop takes effect at once (no new cutover starts; the ones
/// in flight run to completion or roll back). Which environment runs which cutover instance is kept in the store,
/// so a resumed wave, or a wave found running after a restart, continues where it stopped without starting an
/// environment twice.
/// </summary>
public sealed class WaveRunner(
    WaveStore store,
    CutoverLauncher launcher,
    Inventory inventory,
    ICutoverJournal journal,
    TimeProvider clock,
    ILogger<WaveRunner> logger,
    Finalisation.FinaliseTrigger? finalise = null
) : IWaveStarter, IAsyncDisposable
{
    readonly ConcurrentDictionary<string, Task> _runs = new(StringComparer.Ordinal);
    readonly CancellationTokenSource _shutdown = new();
    int _disposed;

    /// <summary>How often in-flight cutovers are read back. Default 500 ms.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The order cutovers start in (<see cref="WaveSequence"/>; the notices' windows follow it).</summary>
    public static IReadOnlyList<CutoverEnvironment> Ordered(
        IReadOnlyList<CutoverEnvironment> environments,
        WaveOrder order
    ) => WaveSequence.Ordered(environments, order);

    public Task StartClaimedAsync(Wave wave, string actor, CancellationToken ct = default)
    {
        lock (_runs)
        {
            if (_runs.TryGetValue(wave.Id, out var existing) && !existing.IsCompleted)
                return Task.CompletedTask;
            _runs[wave.Id] = Task.Run(() => RunAsync(wave.Id, actor, _shutdown.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>Picks up the waves a previous host left running (its cutovers were resumed by WorkflowCore).</summary>
    public async Task ResumeRunningAsync(CancellationToken ct = default)
    {
        foreach (var wave in await store.ListAsync(WaveState.Running, ct))
        {
            logger.LogInformation("Wave {Wave} was running when the host stopped; continuing it", wave.Id);
            await StartClaimedAsync(wave, "engine-restart", ct);
        }
    }

    /// <summary>Completes when the wave's run in this process has ended (finished, stopped, or host shutting
    /// down).</summary>
    public Task WhenRunEndedAsync(string waveId) => _runs.TryGetValue(waveId, out var t) ? t : Task.CompletedTask;

    /// <summary>Stops a wave that must not run as it stands, saying why; nothing of it starts.</summary>
    async Task RefuseAsync(Wave wave, string reason, string actor, CancellationToken ct)
    {
        logger.LogError("Wave {Wave} refused to start: {Reason}", wave.Id, reason);
        if (await store.TryUpdateAsync(wave, wave.Stop(reason), clock.GetUtcNow(), ct))
            await journal.AppendAsync(
                JournalEvent.Of(new WaveStoppedPayload(reason), actor) with
                {
                    Wave = wave.Id,
                },
                ct
            );
    }

    async Task RunAsync(string waveId, string actor, CancellationToken ct)
    {
        try
        {
            var wave = await store.GetAsync(waveId, ct);
            var environments = inventory.Select(wave.Environments);
            // The inventory may have changed since the wave was planned: a part of a range group never starts.
            if (RangeGroupRule.Check(wave.Environments, inventory) is { Count: > 0 } partial)
            {
                await RefuseAsync(wave, string.Join("; ", partial), actor, ct);
                return;
            }
            // A range group is one cutover (its lead's), one lane of the wave's parallel cap.
            var pending = new Queue<IReadOnlyList<CutoverEnvironment>>();
            var running = new Dictionary<string, string>(StringComparer.Ordinal); // lead -> instance
            var recorded = await store.CutoversAsync(waveId, ct);
            foreach (var move in WaveSequence.Moves(environments, wave.Order))
            {
                if (!recorded.TryGetValue(move[0].Id, out var r))
                    pending.Enqueue(move);
                else if (r.Outcome is null)
                    running[move[0].Id] = r.InstanceId;
            }
            // A revert in flight holds its environment: adopting it as the wave's cutover would record the way back as
            // the way there. Read once for the whole wave.
            var reverting = (await launcher.InFlightAsync(ct))
                .Where(i => i.WorkflowDefinitionId == Reverts.RevertLauncher.DefinitionId && i.Data is CutoverData)
                .SelectMany(i => ((CutoverData)i.Data).Moved().Select(m => (m.Subject.EnvironmentId, i.Id)))
                .ToDictionary(x => x.EnvironmentId, x => x.Id, StringComparer.Ordinal);
            if (pending.SelectMany(m => m).FirstOrDefault(e => reverting.ContainsKey(e.Id)) is { } held)
            {
                await RefuseAsync(
                    wave,
                    $"{held.Id}: its revert {reverting[held.Id]} is in flight; resume the wave once the revert has finished",
                    actor,
                    ct
                );
                return;
            }
            while (true)
            {
                wave = await store.GetAsync(waveId, ct);
                var mayStart = wave.State == WaveState.Running;
                while (mayStart && running.Count < wave.Parallel && pending.TryDequeue(out var next))
                {
                    var instance = await launcher.StartAsync(next, waveId, actor, ct);
                    foreach (var environment in next)
                        await store.RecordCutoverAsync(waveId, environment.Id, instance, null, ct);
                    running[next[0].Id] = instance;
                }
                foreach (var (lead, instance) in running.ToList())
                {
                    var summaries = await launcher.ReadAllAsync(instance, ct);
                    if (!summaries[0].IsFinished)
                        continue;
                    foreach (var summary in summaries)
                        await store.RecordCutoverAsync(
                            waveId,
                            summary.EnvironmentId,
                            instance,
                            summary.Outcome ?? CutoverOutcomes.Failed,
                            ct
                        );
                    running.Remove(lead);
                }
                if (running.Count == 0 && (pending.Count == 0 || !mayStart))
                    break;
                await Task.Delay(ProgressInterval, clock, ct);
            }
            if (pending.Count > 0)
            {
                logger.LogInformation(
                    "Wave {Wave} stopped with {Count} environment(s) not started",
                    waveId,
                    pending.Count
                );
                return;
            }
            var outcomes = await store.CutoversAsync(waveId, ct);
            // Armed before the completion is stored, so a crash in between leaves a trigger that finds the wave
            // completed by the next run rather than a completed wave with none; a second one finalises nothing twice.
            if (finalise is not null && outcomes.Values.Any(o => o.Outcome == CutoverOutcomes.Completed))
                await finalise.ArmAsync(waveId);
            if (await store.TryUpdateAsync(wave, wave.Complete(), clock.GetUtcNow(), ct))
                await journal.AppendAsync(
                    JournalEvent.Of(
                        new WaveCompletedPayload(outcomes.ToDictionary(p => p.Key, p => p.Value.Outcome)),
                        actor
                    ) with
                    {
                        Wave = waveId,
                    },
                    ct
                );
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Host shutting down: cutovers stay stored in flight and the wave stays running; the next start continues
            // both.
        }
        catch (Exception e)
        {
            logger.LogError(
                e,
                "Wave {Wave}: the run failed; cutovers already started continue, restart the host or resume to continue the wave",
                waveId
            );
        }
    }

    /// <summary>Ends the runs in this process where they are. Idempotent: serve disposes it on shutdown and DI again
    /// with the host.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _shutdown.CancelAsync();
        await Task.WhenAll(_runs.Values);
        _shutdown.Dispose();
    }
}
