using System.Text.Json.Nodes;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>
/// A sandbox world and an engine on a fresh SQLite file, wired as `cutover demo` wires them, with timings
/// shortened so a cutover takes seconds: INSYNC after 1 s, BGP after 1 s, verification given 15 s.
/// </summary>
public sealed class CutoverHarness : IAsyncDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "cutover-e2e-" + Guid.NewGuid().ToString("n"));
    public SandboxHost Sandbox { get; private set; } = null!;
    public Inventory Inventory { get; private set; } = null!;
    public string DatabasePath => Path.Combine(Directory, "cutover.db");
    public string WorkflowsDirectory => Path.Combine(Directory, "workflows");
    public CutoverEngineHost? Engine { get; private set; }

    /// <summary>Changes made to the engine's settings after the sandbox's own (e.g. accounts reached through
    /// roles).</summary>
    public Action<Dictionary<string, string?>>? EditSettings { get; set; }

    public static async Task<CutoverHarness> StartAsync(
        int environments = 15,
        Action<JsonObject>? definition = null,
        TimeSpan? credentialTtl = null,
        Action<SandboxTopology>? topology = null,
        bool sharedRange = false,
        Action<SandboxRunOptions>? run = null
    )
    {
        var h = new CutoverHarness();
        System.IO.Directory.CreateDirectory(h.WorkflowsDirectory);
        var settings = new TopologySettings
        {
            InsyncDelaySeconds = 1,
            ByoipPropagationSeconds = 1,
            MessagesPerSecond = 20,
            Ec2Byoip = new() { Burst = 5, PerSecond = 1 },
        };
        var world = TopologyGenerator.Generate(
            new TopologyGeneratorOptions
            {
                Environments = environments,
                DesignedFailures = true,
                SharedRange = sharedRange,
                Settings = settings,
            }
        );
        topology?.Invoke(world);
        var options = new SandboxRunOptions { SmtpPort = 0, CredentialTtl = credentialTtl };
        run?.Invoke(options);
        h.Sandbox = await SandboxHost.StartAsync(world, options);
        // Mail flows only for the environments a test cuts over (RunAsync switches theirs on): less load, same
        // evidence.
        foreach (var env in h.Sandbox.SendingControl.Environments.Values)
            env.GeneratorEnabled = false;
        var loaded = InventoryLoader.Parse(
            TopologyGenerator.InventoryYaml(world, h.Sandbox.SendingControlEndpoint),
            "harness.yaml"
        );
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        h.Inventory = loaded.Inventory!;

        foreach (var id in new[] { "cutover", "revert" })
        {
            var shipped = JsonNode
                .Parse(
                    File.ReadAllText(Path.Combine(RepoRoot(), "workflows", $"{id}.v1.json")),
                    documentOptions: new System.Text.Json.JsonDocumentOptions
                    {
                        CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
                        AllowTrailingCommas = true,
                    }
                )!
                .AsObject();
            foreach (var step in shipped["steps"]!.AsArray().Concat(shipped["rollback"]!.AsArray()))
            {
                if (step!["kind"]!.GetValue<string>() == "Verify")
                {
                    step["timeoutSeconds"] = 15;
                    step["pollSeconds"] = 0.5;
                }
                if (step["pollSeconds"] is not null && step["kind"]!.GetValue<string>() != "Verify")
                    step["pollSeconds"] = 0.25;
            }
            // The test's changes are the cutover's; the revert runs as shipped (with the same short polls).
            if (id == "cutover")
                definition?.Invoke(shipped);
            File.WriteAllText(Path.Combine(h.WorkflowsDirectory, $"{id}.v1.json"), shipped.ToJsonString());
        }
        return h;
    }

    public IConfiguration Configuration()
    {
        var settings = CutoverEngine.Cli.Hosting.SandboxEngineSettings.For(Sandbox);
        settings["Engine:DatabasePath"] = DatabasePath;
        settings["Engine:WorkflowsDirectory"] = WorkflowsDirectory;
        EditSettings?.Invoke(settings);
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>
    /// <see cref="Configuration"/> as the object of a JSON settings file for a `cutover` process: keys nest as
    /// objects (the binder reads "Accounts": { "0": ... } as a list), logs go to the harness directory.
    /// </summary>
    public JsonObject ConfigurationJson()
    {
        var config = new JsonObject();
        foreach (var (key, value) in Configuration().AsEnumerable().Where(kv => kv.Value is not null))
        {
            var node = config;
            var parts = key.Split(':');
            foreach (var part in parts[..^1])
                node = (node[part] ??= new JsonObject()).AsObject();
            node[parts[^1]] = value;
        }
        config["Logging"] = new JsonObject { ["Directory"] = Path.Combine(Directory, "logs") };
        return config;
    }

    /// <summary>The settings as a JSON file for a `cutover` process (engine.json); <paramref name="extra"/> adds
    /// sections.</summary>
    public string WriteConfigFile(Action<JsonObject>? extra = null)
    {
        var config = ConfigurationJson();
        extra?.Invoke(config);
        var file = Path.Combine(Directory, "engine.json");
        File.WriteAllText(file, config.ToJsonString());
        return file;
    }

    /// <summary>The sandbox's inventory as a YAML file for a `cutover` process.</summary>
    public string WriteInventoryFile()
    {
        var file = Path.Combine(Directory, "inventory.yaml");
        File.WriteAllText(file, TopologyGenerator.InventoryYaml(Sandbox.Topology, Sandbox.SendingControlEndpoint));
        return file;
    }

    /// <param name="steps">The step kinds the definitions may name; default the engine's own.</param>
    public async Task<CutoverEngineHost> StartEngineAsync(
        Action<IServiceCollection>? extra = null,
        Engine.Definitions.StepKindCatalog? steps = null
    )
    {
        Engine = await CutoverEngineHost.StartAsync(
            Configuration(),
            b => b.SetMinimumLevel(LogLevel.Warning),
            extra,
            steps: steps
        );
        return Engine;
    }

    public async Task<IReadOnlyList<CutoverSummary>> RunAsync(params string[] environmentIds)
    {
        var engine = Engine ?? await StartEngineAsync();
        foreach (var id in environmentIds)
            Sandbox.SendingControl.Environment(id).GeneratorEnabled = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await engine.Launcher.RunAsync(
            Inventory.Select(environmentIds),
            "e2e",
            "test",
            environmentIds.Length,
            null,
            timeout.Token
        );
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CutoverEngine.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public async ValueTask DisposeAsync()
    {
        if (Engine is not null)
            await Engine.DisposeAsync();
        await Sandbox.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException) { }
    }
}
