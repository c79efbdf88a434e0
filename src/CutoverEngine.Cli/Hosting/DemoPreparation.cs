using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Preparation;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Cli.Hosting;

/// <summary>One environment after the demo's prepare: its verdict and whether it joins the wave.</summary>
public sealed record DemoPrepared(string EnvironmentId, EnvironmentReadiness Readiness, bool InWave, string? Note);

/// <summary>
/// `cutover demo`'s prepare, with the lead shortened to nothing: each environment is prepared now, in the engine that
/// then runs the wave, through the same runner as a prepare workflow's steps (TTLs lowered and remembered, SPF
/// pre-authorised, readiness checked, each journaled). The demo's rule for the gate: an environment not ready only
/// because a lowered TTL has not aged yet joins the wave, overridden (the sandbox has no resolver that could still
/// cache the old TTL, and a demo does not wait an hour); any other reason (a blocklisted address, SPF refused, a
/// missing permission) leaves it out, as a migration engineer would.
/// </summary>
public static class DemoPreparation
{
    public const string OverrideNote =
        "overridden for the demo: no resolver in the sandbox can still cache the old TTL";

    public static async Task<IReadOnlyList<DemoPrepared>> RunAsync(
        IServiceProvider services,
        IReadOnlyList<CutoverEnvironment> environments,
        string waveId,
        string actor,
        CancellationToken ct
    )
    {
        var runner = services.GetRequiredService<PrepareRunner>();
        var store = services.GetRequiredService<PrepareStore>();
        var results = new DemoPrepared[environments.Count];
        // A few at once: each prepare reads its zone and may wait for a change to reach INSYNC.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, environments.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (i, token) =>
            {
                var data = new PrepareData
                {
                    WaveId = waveId,
                    EnvironmentId = environments[i].Id,
                    Actor = actor,
                };
                await runner.PrepareAsync(data, token);
                await runner.CheckReadinessAsync(data, token);
                var readiness =
                    await store.ReadinessAsync(environments[i].Id, token)
                    ?? throw new InvalidOperationException($"{environments[i].Id}: prepare recorded no verdict");
                var agingOnly = !readiness.Ready && readiness.Reasons.All(r => r.Code == ReadinessChecks.TtlNotElapsed);
                results[i] = new DemoPrepared(
                    environments[i].Id,
                    readiness,
                    readiness.Ready || agingOnly,
                    readiness.Ready ? null
                        : agingOnly ? OverrideNote
                        : "left out of the wave, as an engineer would leave it until the reasons are dealt with"
                );
            }
        );
        return results;
    }

    public static void Write(TextWriter w, IReadOnlyList<DemoPrepared> prepared)
    {
        w.WriteLine(
            $"Prepare (lead shortened to now): {prepared.Count(p => p.Readiness.Ready)} of {prepared.Count} ready"
        );
        foreach (var p in prepared.Where(p => !p.Readiness.Ready))
            w.WriteLine(
                $"  {p.EnvironmentId, -16} NOT READY: {string.Join("; ", p.Readiness.Reasons.Select(r => r.Message))}"
                    + $"\n  {"", -16} {p.Note}"
            );
    }
}
