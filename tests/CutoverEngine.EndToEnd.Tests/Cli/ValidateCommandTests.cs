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

    /// <summary>The valid inventory with a third environment, another customer's, whose MTA is .111 of
    /// <paramref name="cidr"/>.</summary>
    static string WithSecondByoip(string cidr) =>
        ValidInventory
        + $"""
              - id: hooli-dev
                customer: Hooli
                tier: development
                offering: v8
                account: "111111111111"
                hostedZone: {"{"} id: Z0HOOLI0000000001, name: hooli-mail.example {"}"}
                sendingDomain: hooli-mail.example
                sendingControl: http://127.0.0.1:8603/environments/hooli-dev
                ipStrategy: byoip
                byoipCidr: {cidr}
                mtaHosts:
                  - name: mta1.hooli-mail.example
                    currentAddress: 127.30.2.111
                    target:
                      instanceId: i-0d1b2c3d4e5f60001
                      address: 127.30.2.111

            """;

    static int LineOf(string yaml, string text, int occurrence = 0)
    {
        var index = -1;
        for (var i = 0; i <= occurrence; i++)
            index = yaml.IndexOf(text, index + 1, StringComparison.Ordinal);
        return yaml[..index].Count(c => c == '\n') + 1;
    }

    [Fact]
    public async Task Two_environments_sharing_a_byoip_range_are_refused_naming_both_with_their_lines()
    {
        var yaml = WithSecondByoip("127.30.2.0/24");
        var path = WriteInventory(yaml);

        var exitCode = await CutoverCommand.RunAsync(["validate", path]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith(
            $"{path}:{LineOf(yaml, "byoipCidr: 127.30.2.0/24", 1)}:16: environments[2].byoipCidr: 127.30.2.0/24 of "
                + "environment 'hooli-dev' is the same range as 127.30.2.0/24 of environment 'initech-dev' "
                + $"(environments[1].byoipCidr, line {LineOf(yaml, "byoipCidr: 127.30.2.0/24")})",
            line
        );
    }

    [Fact]
    public async Task Sharing_environments_declared_as_one_rangeGroup_are_valid()
    {
        var yaml = WithSecondByoip("127.30.2.0/24")
            .Replace("    byoipCidr: 127.30.2.0/24\n", "    byoipCidr: 127.30.2.0/24\n    rangeGroup: initech-hooli\n");
        var path = WriteInventory(yaml);

        var exitCode = await CutoverCommand.RunAsync(["validate", path]);

        Assert.True(exitCode == 0, error.ToString());
        Assert.Equal(["OK: 3 environments in 1 accounts"], Lines(output));
    }

    [Fact]
    public async Task A_byoip_range_more_specific_than_24_is_refused_with_its_position()
    {
        var yaml = ValidInventory.Replace("byoipCidr: 127.30.2.0/24", "byoipCidr: 127.30.2.0/25");
        var path = WriteInventory(yaml);

        var exitCode = await CutoverCommand.RunAsync(["validate", path]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith(
            $"{path}:{LineOf(yaml, "byoipCidr: 127.30.2.0/25")}:16: environments[1].byoipCidr: '127.30.2.0/25' is more specific than /24",
            Assert.Single(Lines(error))
        );
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
