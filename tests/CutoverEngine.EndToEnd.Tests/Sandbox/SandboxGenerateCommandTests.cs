using CutoverEngine.Cli;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.EndToEnd.Tests.Cli;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.EndToEnd.Tests.Sandbox;

/// <summary>`cutover sandbox generate` writes a topology and an inventory that `cutover validate` accepts.</summary>
[Collection(ValidateConsoleCollection.Name)]
public sealed class SandboxGenerateCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("cutover-generate-").FullName;
    readonly TextWriter originalOut = Console.Out;
    readonly TextWriter originalError = Console.Error;

    public void Dispose()
    {
        Console.SetOut(originalOut);
        Console.SetError(originalError);
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Runs one command with the console captured; returns its exit code, standard output and error.</summary>
    static async Task<(int ExitCode, string Output, string Error)> Cutover(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        var exitCode = await CutoverCommand.RunAsync(args);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task The_generated_inventory_validates_with_every_generated_environment()
    {
        var topologyPath = Path.Combine(directory, "topology.yaml");
        var inventoryPath = Path.Combine(directory, "inventory.yaml");

        var generate = await Cutover(
            "sandbox",
            "generate",
            "--environments",
            "7",
            "--accounts",
            "3",
            "--designed-failures",
            "--out",
            topologyPath,
            "--inventory-out",
            inventoryPath
        );
        var validate = await Cutover("validate", inventoryPath);

        Assert.True(generate.ExitCode == 0, generate.Error);
        var topology = TopologyLoader.Load(topologyPath);
        Assert.True(validate.ExitCode == 0, validate.Error);
        var accountsInUse = topology.Environments.Select(e => e.Account).Distinct().Count();
        Assert.Equal(
            $"OK: {topology.Environments.Count} environments in {accountsInUse} accounts",
            validate.Output.Trim()
        );
        var inventory = InventoryLoader.Parse(File.ReadAllText(inventoryPath), inventoryPath).Inventory!;
        Assert.Equal(
            topology.Environments.Select(e => (e.Id, e.Customer)),
            inventory.Environments.Select(e => (e.Id, e.Customer))
        );
    }

    [Fact]
    public async Task A_customer_named_with_yaml_syntax_round_trips_through_topology_inventory_and_validate()
    {
        const string customer = "Acme: \"Ltd\" #1";
        var generated = TopologyGenerator.Generate(
            new TopologyGeneratorOptions { Environments = 3, DesignedFailures = false }
        );
        foreach (var e in generated.Environments)
            e.Customer = customer;
        var topologyPath = Path.Combine(directory, "topology.yaml");
        var inventoryPath = Path.Combine(directory, "inventory.yaml");

        // What `sandbox generate --out` and `--inventory-out` write, read back from the files.
        File.WriteAllText(topologyPath, TopologyLoader.Serialize(generated));
        var topology = TopologyLoader.Load(topologyPath);
        File.WriteAllText(inventoryPath, TopologyGenerator.InventoryYaml(topology, new Uri("http://127.0.0.1:8601/")));
        var validate = await Cutover("validate", inventoryPath);

        Assert.All(topology.Environments, e => Assert.Equal(customer, e.Customer));
        Assert.True(validate.ExitCode == 0, validate.Error);
        var inventory = InventoryLoader.Parse(File.ReadAllText(inventoryPath), inventoryPath).Inventory!;
        Assert.Equal(generated.Environments.Select(_ => customer), inventory.Environments.Select(e => e.Customer));
    }
}
