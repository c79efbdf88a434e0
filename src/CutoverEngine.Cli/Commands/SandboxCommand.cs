using System.CommandLine;
using System.Text.Json;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Cli.Commands;

/// <summary>`cutover sandbox`: runs the loopback AWS/DNS/SMTP/sending stand-in in the foreground; `generate` writes
/// topologies.</summary>
public static class SandboxCommand
{
    /// <summary>Ports `cutover sandbox` uses unless told otherwise (the embedded demo picks free ones).</summary>
    public const int DefaultAwsPort = 4566,
        DefaultDnsPort = 8053,
        DefaultSendingControlPort = 8601;

    public static Command Create()
    {
        var topology = new Option<FileInfo?>("--topology")
        {
            Description = "Topology YAML (default: the embedded infra/sandbox/default.yaml)",
        };
        var awsPort = new Option<int>("--aws-port")
        {
            Description = "Port of the AWS endpoint (Route 53, EC2, STS)",
            DefaultValueFactory = _ => DefaultAwsPort,
        };
        var dnsPort = new Option<int>("--dns-port")
        {
            Description = "Port of the authoritative DNS (UDP and TCP)",
            DefaultValueFactory = _ => DefaultDnsPort,
        };
        var sendingPort = new Option<int>("--sending-port")
        {
            Description = "Port of the sending-control HTTP endpoint",
            DefaultValueFactory = _ => DefaultSendingControlPort,
        };
        var smtpPort = new Option<int?>("--smtp-port")
        {
            Description = "Port every MTA listens on (default: the topology's, 2525)",
        };
        var faultRate = new Option<double?>("--fault-rate")
        {
            Description = "Share of AWS requests that meet an injected fault (0..1)",
        };
        var seed = new Option<int?>("--seed") { Description = "Seed of the fault dice, for reproducible runs" };
        var credentialTtl = new Option<int?>("--credential-ttl")
        {
            Description =
                "Seconds the temporary keys STS issues stay valid, whatever DurationSeconds asked (default: as asked)",
        };
        var output = new Option<string>("--output") { Description = "text or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var settingsOut = new Option<FileInfo>("--settings-out")
        {
            Description =
                "Write the engine settings that point at this sandbox (endpoints, account keys, verification, API keys for serve) to this file",
            DefaultValueFactory = _ => new FileInfo(EngineSettingsCheck.SandboxSettingsFile),
        };

        var command = new Command(
            "sandbox",
            "Run the sandbox (loopback Route 53, EC2, DNS, MTAs, sending control) until interrupted"
        )
        {
            topology,
            awsPort,
            dnsPort,
            sendingPort,
            smtpPort,
            faultRate,
            seed,
            credentialTtl,
            output,
            settingsOut,
        };
        command.Subcommands.Add(CreateGenerate());
        command.SetAction(
            async (parse, ct) =>
            {
                var rate = parse.GetValue(faultRate);
                if (rate is < 0 or > 1)
                {
                    Console.Error.WriteLine($"--fault-rate: {rate} is outside 0..1");
                    return 2;
                }
                var ttl = parse.GetValue(credentialTtl);
                if (ttl is <= 0)
                {
                    Console.Error.WriteLine($"--credential-ttl: {ttl} is not a positive number of seconds");
                    return 2;
                }
                SandboxTopology world;
                try
                {
                    world = parse.GetValue(topology) is { } file
                        ? TopologyLoader.Load(file.FullName)
                        : TopologyLoader.LoadDefault();
                }
                catch (Exception e) when (e is CutoverEngine.Sandbox.World.SandboxTopologyException or IOException)
                {
                    Console.Error.WriteLine(e.Message);
                    return 2;
                }
                await using var sandbox = await SandboxHost.StartAsync(
                    world,
                    new SandboxRunOptions
                    {
                        AwsPort = parse.GetValue(awsPort),
                        DnsPort = parse.GetValue(dnsPort),
                        SendingControlPort = parse.GetValue(sendingPort),
                        SmtpPort = parse.GetValue(smtpPort),
                        FaultRate = rate,
                        Seed = parse.GetValue(seed),
                        CredentialTtl = ttl is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                    },
                    ct
                );
                var settingsFile = parse.GetValue(settingsOut)!;
                var apiKeys = SandboxEngineSettings.NewApiKeys();
                try
                {
                    File.WriteAllText(
                        settingsFile.FullName,
                        SandboxEngineSettings
                            .ToJson(SandboxEngineSettings.WithApiKeys(SandboxEngineSettings.For(sandbox), apiKeys))
                            .ToJsonString(new JsonSerializerOptions { WriteIndented = true })
                    );
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException($"--settings-out: {settingsFile.FullName}: {e.Message}", e);
                }
                var endpoints = new
                {
                    aws = sandbox.AwsEndpoint.ToString(),
                    dns = sandbox.DnsEndpoint.ToString(),
                    smtpPort = sandbox.SmtpPort,
                    sendingControl = sandbox.SendingControlEndpoint.ToString(),
                    accounts = world.Accounts.Select(a => new
                    {
                        id = a.Id,
                        accessKeyId = a.AccessKeyId,
                        secretAccessKey = a.SecretAccessKey,
                        region = a.Region,
                        roles = a.Roles.Select(r => $"arn:aws:iam::{a.Id}:role/{r.Name}"),
                    }),
                    environments = world.Environments.Count,
                    settings = settingsFile.FullName,
                    operatorKey = apiKeys.Operator,
                    auditorKey = apiKeys.Auditor,
                };
                if (parse.GetValue(output) == "json")
                    Console.WriteLine(JsonSerializer.Serialize(endpoints));
                else
                {
                    Console.WriteLine(
                        $"Sandbox running: {world.Environments.Count} environments, {world.Accounts.Count} accounts."
                    );
                    Console.WriteLine($"  AWS (Route 53 + EC2): {endpoints.aws}");
                    Console.WriteLine($"  DNS (UDP+TCP):        {endpoints.dns}");
                    Console.WriteLine($"  SMTP port:            {endpoints.smtpPort} on every MTA address");
                    Console.WriteLine($"  Sending control:      {endpoints.sendingControl}");
                    foreach (var a in world.Accounts)
                    {
                        Console.WriteLine(
                            $"  account {a.Id}: AWS_ACCESS_KEY_ID={a.AccessKeyId} AWS_SECRET_ACCESS_KEY={a.SecretAccessKey}"
                        );
                        foreach (var r in a.Roles)
                            Console.WriteLine(
                                $"    role arn:aws:iam::{a.Id}:role/{r.Name}"
                                    + (r.ExternalId is null ? "" : " (external id required)")
                            );
                    }
                    Console.WriteLine($"  Engine settings:      {settingsFile.FullName}");
                    Console.WriteLine(
                        $"    for example: cutover plan infra/inventory/sandbox.yaml --config {settingsFile.Name}"
                    );
                    Console.WriteLine(
                        $"    serve's API keys: {SandboxEngineSettings.OperatorKeyName} {apiKeys.Operator}, {SandboxEngineSettings.AuditorKeyName} {apiKeys.Auditor}"
                    );
                    Console.WriteLine("Press Ctrl+C to stop.");
                }
                Console.Out.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException) { }
                return 0;
            }
        );
        return command;
    }

    static Command CreateGenerate()
    {
        var environments = new Option<int>("--environments")
        {
            Description = "Number of environments",
            DefaultValueFactory = _ => 100,
        };
        var accounts = new Option<int>("--accounts")
        {
            Description = "AWS accounts to spread them over",
            DefaultValueFactory = _ => 2,
        };
        var byoipShare = new Option<double>("--byoip-share")
        {
            Description = "Share of customers that move by BYOIP, 0..1",
            DefaultValueFactory = _ => 1.0 / 3,
        };
        var failures = new Option<bool>("--designed-failures")
        {
            Description = "Include the environments designed to fail (misconfigured MTA, high TTL)",
        };
        var sharedRange = new Option<bool>("--shared-range")
        {
            Description = "Two customers share one BYOIP range and cut over together as a range group",
        };
        var output = new Option<FileInfo?>("--out") { Description = "File to write (default: standard output)" };
        var inventoryOut = new Option<FileInfo?>("--inventory-out")
        {
            Description = "Also write the matching inventory to this file",
        };
        var sendingPort = new Option<int>("--sending-port")
        {
            Description = "Sending-control port the inventory points at",
            DefaultValueFactory = _ => DefaultSendingControlPort,
        };
        var command = new Command("generate", "Write a topology of N environments (for rehearsals and benchmarks)")
        {
            environments,
            accounts,
            byoipShare,
            failures,
            sharedRange,
            output,
            inventoryOut,
            sendingPort,
        };
        command.SetAction(parse =>
        {
            SandboxTopology generated;
            try
            {
                generated = TopologyGenerator.Generate(
                    new TopologyGeneratorOptions
                    {
                        Environments = parse.GetValue(environments),
                        Accounts = parse.GetValue(accounts),
                        ByoipShare = parse.GetValue(byoipShare),
                        DesignedFailures = parse.GetValue(failures),
                        SharedRange = parse.GetValue(sharedRange),
                    }
                );
            }
            catch (ArgumentOutOfRangeException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            var yaml =
                "# Generated by `cutover sandbox generate`. Format: README.md, \"Sandbox topology\".\n"
                + TopologyLoader.Serialize(generated);
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, yaml);
                Console.WriteLine($"Wrote {generated.Environments.Count} environments to {file.FullName}");
            }
            else
                Console.Write(yaml);
            if (parse.GetValue(inventoryOut) is { } inventoryFile)
            {
                File.WriteAllText(
                    inventoryFile.FullName,
                    TopologyGenerator.InventoryYaml(
                        generated,
                        new Uri($"http://127.0.0.1:{parse.GetValue(sendingPort)}/")
                    )
                );
                Console.Error.WriteLine($"Wrote the matching inventory to {inventoryFile.FullName}");
            }
            return 0;
        });
        return command;
    }
}
