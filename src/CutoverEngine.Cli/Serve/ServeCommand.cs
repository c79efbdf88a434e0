using System.CommandLine;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Cli.Serve.Pages;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Waves;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace CutoverEngine.Cli.Serve;

/// <summary>
/// `cutover serve --inventory FILE [--urls URLS] [--config FILE]`: the long-running host: WorkflowCore workers
/// (resuming cutovers left in flight and waking wave-start workflows), the wave runner, the HTTP API and the auditor pages.
/// Listens on loopback (http://127.0.0.1:5080) unless --urls or ASPNETCORE_URLS say otherwise.
/// </summary>
public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Create()
    {
        var inventory = new Option<FileInfo>("--inventory") { Description = "Inventory YAML; wave environments are its ids", Required = true };
        var urls = new Option<string?>("--urls") { Description = $"Listen addresses (default ASPNETCORE_URLS, else {DefaultUrls})" };
        var config = new Option<FileInfo?>("--config") { Description = "Settings file (JSON) on top of ./appsettings.json" };
        var command = new Command("serve", "Run the engine as a service: scheduler, workflow workers and the HTTP API") { inventory, urls, config };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(inventory)!;
            if (!file.Exists) { Console.Error.WriteLine($"--inventory: {file.FullName} does not exist"); return 2; }
            var loaded = InventoryLoader.Load(file.FullName);
            if (loaded.Inventory is null)
            {
                foreach (var e in loaded.Errors) Console.Error.WriteLine(e);
                return 2;
            }
            IConfiguration configuration;
            try { configuration = CliHosting.Configuration(parse.GetValue(config)); }
            catch (FileNotFoundException e) { Console.Error.WriteLine(e.Message); return 2; }
            try
            {
                await RunAsync(configuration, loaded.Inventory, parse.GetValue(urls), ct);
                return 0;
            }
            catch (EngineStoreHeldException e)
            {
                Console.Error.WriteLine(e.Message);
                return EngineStoreHeldException.ExitCode;
            }
            catch (Exception e) when (e is InvalidOperationException || WaveExecution.IsStartupError(e))
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    public static async Task RunAsync(IConfiguration configuration, Inventory inventory, string? urls, CancellationToken ct)
    {
        var keys = ApiRoles.Validate(configuration.GetSection("Serve:ApiKeys").Get<List<ApiKeyEntry>>() ?? []);
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddConfiguration(configuration);
        var listen = urls ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? DefaultUrls;
        builder.WebHost.UseUrls(listen);
        var logger = CliHosting.Logger(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddCutoverEngine(configuration);
        builder.Services.AddCutoverWaves(configuration, inventory);
        builder.Services.AddSingleton(new ApiKeyDirectory(keys));
        // The API authenticates every request by its key; the auditor pages by a cookie session opened with a key.
        var authentication = builder.Services.AddAuthentication(ApiKeyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        builder.Services.AddPageSessions(authentication, configuration);
        builder.Services.AddAuthorizationBuilder()
            .AddPagePolicy()
            .AddPolicy(WaveApi.ReadPolicy, p => p.RequireAuthenticatedUser().RequireRole(ApiRoles.Operator, ApiRoles.Auditor))
            .AddPolicy(WaveApi.OperatorPolicy, p => p.RequireAuthenticatedUser().RequireRole(ApiRoles.Operator))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()); // nothing is anonymous, the OpenAPI document included
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        WaveApi.Map(app);
        AuditorPages.Map(app);

        // The engine first: WorkflowCore resumes cutovers left in flight, then the runner follows waves left running,
        // then every scheduled wave is checked to have its sleeping wave-start workflow (WorkflowCore wakes them).
        var workflows = await app.Services.StartCutoverEngineAsync(ct);
        var runner = app.Services.GetRequiredService<WaveRunner>();
        var scheduler = app.Services.GetRequiredService<WaveScheduler>();
        await runner.ResumeRunningAsync(ct);
        await scheduler.EnsureArmedAsync(ct);
        try
        {
            await app.StartAsync(ct);
            app.Logger.LogInformation("cutover serve listening on {Urls}", string.Join(", ", app.Urls));
            Console.Out.WriteLine($"Listening on {string.Join(", ", app.Urls)}");
            await app.WaitForShutdownAsync(ct);
        }
        finally
        {
            // Graceful shutdown: wave runs end where they are; WorkflowCore (with the sleeping wave-start workflows) stops after the steps in
            // progress, leaving cutovers stored in flight for the next start (a paused sender's lease expires on its own).
            await runner.DisposeAsync();
            await workflows.StopAsync(CancellationToken.None);
            await app.StopAsync(CancellationToken.None);
        }
    }
}
