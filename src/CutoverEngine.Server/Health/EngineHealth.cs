using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CutoverEngine.Server.Health;

/// <summary>
/// <c>/health/live</c> (the process answers: no checks) and <c>/health/ready</c> (store reachable, workflow workers
/// running, definitions loaded, sending controls of running waves answering; 503 when any fails), unauthenticated
/// for load balancers and orchestrators. The body names each check with its status and description, never a secret.
/// </summary>
public static class EngineHealth
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    const string Ready = "ready";

    public static IServiceCollection AddEngineHealth(this IServiceCollection services)
    {
        services
            .AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [Ready])
            .AddCheck<WorkflowHostHealthCheck>("workflow-host", tags: [Ready])
            .AddCheck<DefinitionsHealthCheck>("definitions", tags: [Ready])
            .AddCheck<SendingControlsHealthCheck>("sending-controls", tags: [Ready]);
        return services;
    }

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks(
                ReadyPath,
                new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }
            )
            .AllowAnonymous();
    }

    static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(
                new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(
                        e => e.Key,
                        e => new { status = e.Value.Status.ToString(), description = e.Value.Description }
                    ),
                }
            )
        );
    }
}
