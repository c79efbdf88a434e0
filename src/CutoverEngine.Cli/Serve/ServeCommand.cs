using System.CommandLine;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace CutoverEngine.Cli.Serve;

/// <summary>
/// `cutover serve --inventory FILE [--urls URLS] [--config FILE]`: the long-running host: WorkflowCore workers
/// (resuming cutovers left in flight and waking wave-start workflows), the wave runner, the HTTP API and the auditor
/// pages.
/// Listens on loopback (http://127.0.0.1:5080) unless --urls or ASPNETCORE_URLS say otherwise. The web host itself
/// (API, authentication, pages) is built by <see cref="CutoverServer"/> in CutoverEngine.Server; this command owns
/// the options and the order in which the engine and the host start and stop.
/// </summary>
public static class ServeCommand
{
    public const string DefaultUrls = CutoverServer.DefaultUrls;

    public static Command Create()
    {
        var inventory = new Option<FileInfo>("--inventory")
        {
            Description = "Inventory YAML; wave environments are its ids",
            Required = true,
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"Listen addresses (default ASPNETCORE_URLS, else {DefaultUrls})",
        };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings file (JSON) on top of ./appsettings.json",
        };
        var command = new Command("serve", "Run the engine as a service: scheduler, workflow workers and the HTTP API")
        {
            inventory,
            urls,
            config,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var loaded = InventoryFile.Load(parse.GetValue(inventory)!, "--inventory");
                var configuration = CliHosting.Configuration(parse.GetValue(config));
                // Waves may take any environment of the inventory: every one must be reachable with these settings.
                SettingsGate.Check(configuration, loaded.Environments);
                try
                {
                    await RunAsync(configuration, loaded, parse.GetValue(urls), ct);
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
            }
        );
        return command;
    }

    public static async Task RunAsync(
        IConfiguration configuration,
        Inventory inventory,
        string? urls,
        CancellationToken ct
    )
    {
        var listen = urls ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? DefaultUrls;
        var logger = CliHosting.Logger(configuration);
        await using var app = CutoverServer.Build(
            configuration,
            inventory,
            listen,
            logging =>
            {
                logging.ClearProviders();
                logging.AddSerilog(logger, dispose: true);
            }
        );

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
            // Graceful shutdown: wave runs end where they are; WorkflowCore (with the sleeping wave-start workflows)
            // stops after the steps in
            // progress, leaving cutovers stored in flight for the next start (a paused sender's lease expires on its
            // own).
            await runner.DisposeAsync();
            await workflows.StopAsync(CancellationToken.None);
            await app.StopAsync(CancellationToken.None);
        }
    }
}
