using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// `cutover demo`: the sandbox in-process with the default topology, all its environments as one wave through
/// the real engine (SQLite, WorkflowCore, AWS gateways over the wire), then the downtime table and the mail counts.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var faultRate = new Option<double>("--fault-rate")
        {
            Description = "Share of AWS requests that meet an injected fault (0..1)",
            DefaultValueFactory = _ => 0,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the fault dice", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output") { Description = "text or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var parallel = new Option<int>("--parallel") { Description = "Cutovers at once (default: all)" };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings file (JSON) on top of ./appsettings.json",
        };
        var stay = new Option<bool>("--stay")
        {
            Description =
                "After the wave, keep the sandbox and serve the auditor pages with the wave just run, until interrupted",
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"With --stay: where the pages listen (default {Serve.ServeCommand.DefaultUrls})",
        };
        var command = new Command(
            "demo",
            "Run a wave of the default sandbox topology end to end and print the downtime table"
        )
        {
            faultRate,
            seed,
            output,
            parallel,
            config,
            stay,
            urls,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var rate = parse.GetValue(faultRate);
                if (rate is < 0 or > 1)
                {
                    Console.Error.WriteLine($"--fault-rate: {rate} is outside 0..1");
                    return 2;
                }
                var json = parse.GetValue(output) == "json";
                var topology = TopologyLoader.LoadDefault();
                await using var sandbox = await SandboxHost.StartAsync(
                    topology,
                    new SandboxRunOptions
                    {
                        FaultRate = rate,
                        Seed = parse.GetValue(seed),
                        SmtpPort = 0,
                    },
                    ct
                );
                var inventoryYaml = TopologyGenerator.InventoryYaml(topology, sandbox.SendingControlEndpoint);
                var loaded = InventoryLoader.Parse(inventoryYaml, "sandbox inventory (in-process)");
                if (!loaded.IsValid)
                    throw new InvalidOperationException(
                        "the sandbox's own inventory is invalid:\n" + string.Join('\n', loaded.Errors)
                    );
                var environments = loaded.Inventory!.Environments;
                if (!json)
                {
                    Console.WriteLine(
                        $"Sandbox: AWS {sandbox.AwsEndpoint}, DNS {sandbox.DnsEndpoint}, SMTP port {sandbox.SmtpPort}, sending control {sandbox.SendingControlEndpoint}"
                    );
                    Console.WriteLine(
                        $"Wave of {environments.Count} environments (fault rate {rate.ToString(CultureInfo.InvariantCulture)}):"
                    );
                }
                var apiKeys = SandboxEngineSettings.NewApiKeys();
                var configuration = CliHosting.Configuration(
                    parse.GetValue(config),
                    SandboxEngineSettings.WithApiKeys(SandboxEngineSettings.For(sandbox), apiKeys)
                );
                var n = parse.GetValue(parallel);
                WaveExecution.Result result;
                var waveId = $"demo-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}";
                try
                {
                    result = await WaveExecution.RunAsync(
                        configuration,
                        environments,
                        waveId,
                        RunCommand.Actor(),
                        n <= 0 ? environments.Count : n,
                        !json,
                        ct,
                        prepareFrom: loaded.Inventory
                    );
                }
                catch (EngineStoreHeldException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return EngineStoreHeldException.ExitCode;
                }
                catch (Exception e) when (WaveExecution.IsStartupError(e))
                {
                    Console.Error.WriteLine(e.Message + "\nNothing was started.");
                    return 2;
                }
                var mail = await MailCountsAsync(sandbox, result, ct);
                if (json)
                {
                    var summary = JsonSerializer
                        .SerializeToNode(WaveExecution.JsonSummary(result), WaveExecution.Json)!
                        .AsObject();
                    summary["mail"] = JsonSerializer.SerializeToNode(mail, WaveExecution.Json);
                    Console.WriteLine(summary.ToJsonString(WaveExecution.Json));
                }
                else
                {
                    WaveExecution.WriteTable(Console.Out, result, environments);
                    Console.WriteLine(
                        $"Mail: {mail.Produced} produced, {mail.Delivered} delivered, {mail.Queued} still queued, {mail.Duplicates} duplicates, "
                            + $"{mail.AfterResumeToOldHosts} delivered to a data-centre host after a completed cutover resumed"
                    );
                }
                // The demo succeeds when every environment ended as designed: the one built to fail verification rolls
                // back.
                var designedToFail = topology
                    .Environments.Where(e => DesignedFailure.RollsBack(e.DesignedFailure))
                    .Select(e => e.Id)
                    .ToHashSet();
                // Prepare leaves out exactly the environment whose new address is blocklisted.
                var leftOut = topology
                    .Environments.Where(e => e.DesignedFailure == DesignedFailure.BlocklistedTarget)
                    .Select(e => e.Id)
                    .ToHashSet();
                var asDesigned =
                    result.Cutovers.All(c =>
                        c.Outcome == (designedToFail.Contains(c.EnvironmentId) ? "rolled-back" : "completed")
                    )
                    && result.Prepared.All(p => p.InWave != leftOut.Contains(p.EnvironmentId))
                    && mail.Produced == mail.Delivered
                    && mail.Duplicates == 0
                    && mail.AfterResumeToOldHosts == 0;
                if (!json)
                    Console.WriteLine(
                        asDesigned
                            ? $"Every environment ended as designed ({string.Join(", ", designedToFail)} is built to fail verification and roll back; {string.Join(", ", leftOut)}, not ready, was left out)."
                            : "NOT as designed: see the table above."
                    );
                if (parse.GetValue(stay))
                    await StayAsync(configuration, loaded.Inventory!, waveId, parse.GetValue(urls), apiKeys, ct);
                return asDesigned ? 0 : 1;
            }
        );
        return command;
    }

    /// <summary>
    /// `--stay`: the engine that ran the wave has let go of the store; `serve` takes it on the same settings, with
    /// the sandbox still up, so the pages show the wave just run (and the API could start another) until Ctrl-C or
    /// SIGTERM.
    /// </summary>
    static async Task StayAsync(
        Microsoft.Extensions.Configuration.IConfiguration configuration,
        Inventory inventory,
        string waveId,
        string? urls,
        (string Operator, string Auditor) apiKeys,
        CancellationToken ct
    )
    {
        var listen = urls ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? Serve.ServeCommand.DefaultUrls;
        var first = listen.Split(';', StringSplitOptions.RemoveEmptyEntries)[0].TrimEnd('/');
        Console.WriteLine();
        Console.WriteLine($"Staying up: the wave's report is {first}/waves/{waveId}/report.html (the pages: {first}/)");
        Console.WriteLine($"  log in with the auditor key {apiKeys.Auditor}");
        Console.WriteLine($"  (operator key for the API: {apiKeys.Operator}). Ctrl+C to stop.");
        Console.Out.Flush();
        try
        {
            await Serve.ServeCommand.RunAsync(configuration, inventory, listen, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    public sealed record MailCounts(
        long Produced,
        long Delivered,
        long Queued,
        long Duplicates,
        long AfterResumeToOldHosts
    );

    /// <summary>
    /// The sandbox's testimony on the mail: everything produced is delivered once the queues drain (waited for
    /// with a deadline), none twice, and none reached a data-centre host after a completed cutover resumed sending.
    /// </summary>
    static async Task<MailCounts> MailCountsAsync(
        SandboxHost sandbox,
        WaveExecution.Result result,
        CancellationToken ct
    )
    {
        var environments = sandbox.SendingControl.Environments;
        foreach (var env in environments.Values)
            env.GeneratorEnabled = false;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (
            DateTime.UtcNow < deadline && environments.Values.Any(e => e.Status() is { Paused: false, QueueDepth: > 0 })
        )
            await Task.Delay(100, ct);
        long produced = 0,
            delivered = 0,
            queued = 0,
            afterResume = 0;
        foreach (var (id, env) in environments)
        {
            var status = env.Status();
            produced += status.Produced;
            delivered += status.Delivered;
            queued += status.QueueDepth;
            var completed = result.Cutovers.Any(c => c.EnvironmentId == id && c.Outcome == "completed");
            if (completed && (status.Pauses.Count > 0 ? status.Pauses[^1] : null)?.ResumedAt is { } resumedAt)
                afterResume += env.Deliveries()
                    .Count(d =>
                        d.DeliveredAt > resumedAt && d.HostId?.StartsWith("dc-", StringComparison.Ordinal) == true
                    );
        }
        return new MailCounts(produced, delivered, queued, sandbox.Mail.Duplicates, afterResume);
    }
}
