using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Server.Health;

/// <summary>Ready only while the engine's database file answers at its path (Engine:DatabasePath).</summary>
public sealed class StoreHealthCheck(IOptions<EngineOptions> engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    ) =>
        await SqliteFiles.ProbeAsync(engine.Value.DatabasePath, TimeSpan.FromSeconds(2), cancellationToken)
            is { } problem
            ? HealthCheckResult.Unhealthy($"store unreachable: {problem}")
            : HealthCheckResult.Healthy("store reachable");
}
