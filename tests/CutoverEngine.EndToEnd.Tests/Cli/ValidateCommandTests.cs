using CutoverEngine.Cli;

namespace CutoverEngine.EndToEnd.Tests.Cli;

/// <summary>Console.Out and Console.Error are process-wide: these tests must not run beside others that write to
/// them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ValidateConsoleCollection
{
    public const string Name = "cutover validate (captures the console)";
}

[Collection(ValidateConsoleCollection.Name)]
public sealed class ValidateCommandTests : IDisposable
{
    const string ValidInventory = """
        version: 1
        accounts:
          - id: "111111111111"
            name: mail-sandbox
            region: us-east-1
        environments:
          - id: acme-staging
            customer: Acme Corp
            tier: staging
            offering: v7-hosted
            account: "111111111111"
            hostedZone: { id: Z0ACME00000000001, name: acme-mail.example }
            sendingDomain: acme-mail.example
            sendingControl: http://127.0.0.1:8601/environments/acme-staging
            ipStrategy: elastic-ip
            mtaHosts:
              - name: mta1.acme-mail.example
                currentAddress: 127.10.1.11
                target:
                  instanceId: i-0a1b2c3d4e5f60001
                  allocationId: eipalloc-0a1b2c3d4e5f60001
                  address: 127.20.1.11
          - id: initech-dev
            customer: Initech
            tier: development
            offering: v8
            account: "111111111111"
            hostedZone: { id: Z0INITECH000000001, name: initech-mail.example }
            sendingDomain: initech-mail.example
            sendingControl: http://127.0.0.1:8602/environments/initech-dev
            ipStrategy: byoip
            byoipCidr: 127.30.2.0/24
            mtaHosts:
              - name: mta1.initech-mail.example
                currentAddress: 127.30.2.11
                target:
                  instanceId: i-0c1b2c3d4e5f60001
                  address: 127.30.2.11

        """;

    readonly string directory = Directory.CreateTempSubdirectory("cutover-validate-").FullName;
    readonly TextWriter originalOut = Console.Out;
    readonly TextWriter originalError = Console.Error;
    readonly StringWriter output = new();
    readonly StringWriter error = new();

    public ValidateCommandTests()
    {
        Console.SetOut(output);
        Console.SetError(error);
    }

    public void Dispose()
    {
        Console.SetOut(originalOut);
        Console.SetError(originalError);
        Directory.Delete(directory, recursive: true);
    }

    string WriteInventory(string yaml)
    {
        var path = Path.Combine(directory, "sandbox.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    static string[] Lines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Valid_inventory_prints_OK_with_the_counts_and_exits_0()
    {
        var path = WriteInventory(ValidInventory);

        var exitCode = await CutoverCommand.RunAsync(["validate", path]);

        Assert.Equal(0, exitCode);
        Assert.Equal(["OK: 2 environments in 1 accounts"], Lines(output));
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task Invalid_inventory_prints_every_error_on_stderr_and_exits_1()
    {
        var yaml = ValidInventory
            .Replace("allocationId: eipalloc-0a1b2c3d4e5f60001", "allocationId: eipalloc-xyz")
            .Replace("offering: v8", "offering: v7-on-premise");
        var path = WriteInventory(yaml);

        var exitCode = await CutoverCommand.RunAsync(["validate", path]);

        Assert.Equal(1, exitCode);
        Assert.Empty(output.ToString());
        var lines = Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(
            $"{path}:21:25: environments[0].mtaHosts[0].target.allocationId: 'eipalloc-xyz' is not an Elastic IP allocation id",
            lines[0]
        );
        Assert.StartsWith($"{path}:26:15: environments[1].offering: 'v7-on-premise' is out of scope", lines[1]);
    }

    [Fact]
    public async Task Yaml_syntax_error_is_reported_with_its_position_and_exits_1()
    {
        var path = WriteInventory("version: 1\naccounts: [\n");

        var exitCode = await CutoverCommand.RunAsync(["validate", path]);

        Assert.Equal(1, exitCode);
        Assert.Matches(
            $"^{System.Text.RegularExpressions.Regex.Escape(path)}:\\d+:\\d+: YAML syntax error: ",
            Assert.Single(Lines(error))
        );
    }

    [Fact]
    public async Task Missing_file_exits_2_naming_it()
    {
        var path = Path.Combine(directory, "absent.yaml");

        var exitCode = await CutoverCommand.RunAsync(["validate", path]);

        Assert.Equal(2, exitCode);
        Assert.Contains(path, error.ToString());
        Assert.Contains("no such file", error.ToString());
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Directory_instead_of_a_file_exits_2()
    {
        var exitCode = await CutoverCommand.RunAsync(["validate", directory]);

        Assert.Equal(2, exitCode);
    }
}
