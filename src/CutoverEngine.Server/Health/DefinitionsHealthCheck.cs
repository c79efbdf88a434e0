using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkflowCore.Interface;

namespace CutoverEngine.Server.Health;

/// <summary>Ready when cutover definitions were loaded and every one is registered with WorkflowCore.</summary>
public sealed class DefinitionsHealthCheck(DefinitionCatalog catalog, IWorkflowRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default
    )
    {
        if (catalog.All.Count == 0)
            return Task.FromResult(HealthCheckResult.Unhealthy("no cutover definitions loaded"));
        var missing = catalog.All.Where(d => !registry.IsRegistered(d.Id, d.Version)).ToList();
        return Task.FromResult(
            missing.Count == 0
                ? HealthCheckResult.Healthy(
                    string.Join(", ", catalog.All.Select(d => $"{d.Id} v{d.Version}")) + " registered"
                )
                : HealthCheckResult.Unhealthy(
                    "not registered with the workflow host: "
                        + string.Join(", ", missing.Select(d => $"{d.Id} v{d.Version}"))
                )
        );
    }
}
