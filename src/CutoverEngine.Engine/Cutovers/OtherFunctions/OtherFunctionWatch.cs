using System.Collections.Concurrent;
using CutoverEngine.Engine.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.OtherFunctions;

/// <summary>
/// Measures the promise that nothing else is affected: probes each environment's other functions once before the
/// pause (the baseline) and then, beside the cutover's steps, from pause to resume. Kept by the step frame like the
/// pause lease (<see cref="CutoverStep"/>), so a restarted engine picks the probes up again at the next step. The
/// probes live in memory: a restart starts a new series, judged against the baseline stored with the cutover, and a
/// function's incident already journaled by the previous run is not journaled again.
/// </summary>
public sealed class OtherFunctionWatch(
    TimeProvider clock,
    OtherFunctionProbe probe,
    ICutoverJournal journal,
    IOptions<CutoverOptions> options,
    ILogger<OtherFunctionWatch> log
) : IAsyncDisposable
{
    readonly ConcurrentDictionary<(string Instance, string Environment), PauseProbes> running = new();

    /// <summary>Probes each function of the environment once, before its pause; a replay keeps the first
    /// baseline.</summary>
    public async Task RecordBaselineAsync(CutoverData member, CancellationToken ct)
    {
        var functions = member.Subject.OtherFunctions;
        if (functions.Count == 0 || member.OtherFunctionBaseline is not null)
            return;
        var observed = await Task.WhenAll(functions.Select(f => probe.ProbeAsync(f, ct)));
        member.OtherFunctionBaseline = functions
            .Zip(observed)
            .ToDictionary(p => p.First.Name, p => p.Second.Available, StringComparer.Ordinal);
    }

    /// <summary>Starts the probes of every paused environment of the cutover, and stops (journaling the series)
    /// those of every resumed one. Never fails the step: the probes are a measurement, not part of the
    /// cutover.</summary>
    public async Task KeepAsync(CutoverContext run, CancellationToken ct)
    {
        foreach (var member in run.Data.Moved())
        {
            if (member.Subject.OtherFunctions.Count == 0)
                continue;
            var key = (run.InstanceId, member.Subject.EnvironmentId);
            if (member.PausedAt is not null && member.ResumedAt is null)
                running.GetOrAdd(
                    key,
                    _ =>
                        PauseProbes.Start(
                            run,
                            member,
                            probe,
                            journal,
                            clock,
                            options.Value.OtherFunctions.Interval,
                            log
                        )
                );
            else if (running.TryRemove(key, out var probes))
                try
                {
                    await probes.StopAsync(run, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "could not journal the other functions' probes of {Environment}", key.Item2);
                }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var key in running.Keys)
            if (running.TryRemove(key, out var probes))
                await probes.AbandonAsync();
    }
}
