using CutoverEngine.Engine.Cutovers;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CutoverEngine.Server.Health;

/// <summary>Ready once WorkflowCore's workers run in this process (serve starts them before it listens).</summary>
public sealed class WorkflowHostHealthCheck(EngineRun run) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    ) =>
        Task.FromResult(
            run.WorkersStarted
                ? HealthCheckResult.Healthy("workflow workers running")
                : HealthCheckResult.Unhealthy("workflow workers not started")
        );
}
