using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Customers;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Server.Api;
using CutoverEngine.Server.Authentication;
using CutoverEngine.Server.Customers;
using CutoverEngine.Server.Health;
using CutoverEngine.Server.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Server;

/// <summary>
/// The entry point of the HTTP host that <c>cutover serve</c> runs: builds the web application with the engine, the
/// waves, the API (<see cref="WaveApi"/>), its key authentication, the auditor pages and their sessions. Starting the
/// engine's workers and the app, and stopping them, stays with the caller (the serve command), which owns that order.
/// </summary>
public static class CutoverServer
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <param name="listenUrls">Where to listen, e.g. <see cref="DefaultUrls"/>.</param>
    /// <param name="logging">Sets the log providers (the CLI puts its Serilog logger there).</param>
    /// <exception cref="InvalidOperationException">Serve:ApiKeys or Serve:Pages is not usable.</exception>
    public static WebApplication Build(
        IConfiguration configuration,
        Inventory inventory,
        string listenUrls,
        Action<ILoggingBuilder> logging
    )
    {
        var keys = ApiRoles.Validate(configuration.GetSection("Serve:ApiKeys").Get<List<ApiKeyEntry>>() ?? []);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddConfiguration(configuration);
        builder.WebHost.UseUrls(listenUrls);
        logging(builder.Logging);
        builder.Services.AddCutoverEngine(configuration);
        builder.Services.AddCutoverWaves(configuration, inventory);
        builder.Services.AddCutoverCustomers(configuration);
        builder.Services.AddSingleton(new ApiKeyDirectory(keys));
        builder.Services.AddFailedAttemptLimits(configuration);
        // The API authenticates every request by its key; the auditor pages by a cookie session opened with a key.
        var authentication = builder
            .Services.AddAuthentication(ApiKeyHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        builder.Services.AddPageSessions(authentication, configuration);
        builder
            .Services.AddAuthorizationBuilder()
            .AddPagePolicy()
            .AddPolicy(WaveApi.ReadPolicy, p => p.RequireAuthenticatedUser().RequireRole(ApiRoles.Readers))
            .AddPolicy(WaveApi.OperatorPolicy, p => p.RequireAuthenticatedUser().RequireRole(ApiRoles.Operator))
            .AddPolicy(
                WaveApi.ApprovePolicy,
                p => p.RequireAuthenticatedUser().RequireRole(ApiRoles.Operator, ApiRoles.Approver)
            )
            // Nothing is anonymous, the OpenAPI document included.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddEngineHealth();
        builder.Services.AddEngineTelemetry();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        WaveApi.Map(app);
        AuditorPages.Map(app);
        OperatorPages.Map(app);
        CustomerFeedEndpoints.Map(app);
        EngineHealth.Map(app);
        EngineTelemetry.Map(app);
        return app;
    }
}
