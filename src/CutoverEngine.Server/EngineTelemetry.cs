using CutoverEngine.Engine.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CutoverEngine.Server;

/// <summary>
/// OpenTelemetry for `cutover serve`: the engine's Meter and ActivitySource (<see cref="CutoverTelemetry.Name"/>,
/// shared by the AWS calls) and ASP.NET Core's own, the metrics scraped by Prometheus at <see cref="MetricsPath"/>
/// (unauthenticated, like a Prometheus target: it holds counts, no customer data beyond environment tiers).
/// </summary>
public static class EngineTelemetry
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddEngineTelemetry(this IServiceCollection services)
    {
        services
            .AddOpenTelemetry()
            .WithMetrics(m => m.AddMeter(CutoverTelemetry.Name).AddAspNetCoreInstrumentation().AddPrometheusExporter())
            // Spans are made for any exporter added here (none by default: OTLP would be one more package and line).
            .WithTracing(t => t.AddSource(CutoverTelemetry.Name).AddAspNetCoreInstrumentation());
        return services;
    }

    public static void Map(WebApplication app) => app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
}
