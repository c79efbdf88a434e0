using System.Diagnostics;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>Bad input gets a precise error and changes nothing: no database, no journal, no cutover.</summary>
public sealed class NothingStartsOnBadInputTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "cutover-bad-" + Guid.NewGuid().ToString("n"));

    public NothingStartsOnBadInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException) { }
    }

    async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cutover.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    string SandboxInventory => Path.Combine(CutoverHarness.RepoRoot(), "infra", "inventory", "sandbox.yaml");

    void AssertNothingStarted()
    {
        Assert.False(File.Exists(Path.Combine(_dir, "data", "cutover.db")), "a database was created");
        Assert.False(
            Directory.Exists(Path.Combine(_dir, "data")) && Directory.EnumerateFiles(Path.Combine(_dir, "data")).Any()
        );
    }

    [Fact]
    public async Task An_invalid_inventory_is_refused_with_every_error_and_nothing_starts()
    {
        var text = File.ReadAllText(SandboxInventory)
            .Replace("ipStrategy: elastic-ip", "ipStrategy: elastic-ips")
            .Replace("tier: production", "tier: prod");
        var file = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(file, text);
        var (exit, _, stderr) = await RunAsync("run", file, "--all");
        Assert.Equal(2, exit);
        Assert.Contains("nothing was started", stderr);
        Assert.Matches(@"bad\.yaml:\d+:\d+: environments\[0\]\.ipStrategy: ", stderr);
        Assert.Matches(@"bad\.yaml:\d+:\d+: environments\[2\]\.tier: ", stderr);
        AssertNothingStarted();
    }

    [Fact]
    public async Task A_run_with_part_of_a_range_group_is_refused_naming_the_missing_environment_and_nothing_starts()
    {
        var world = CutoverEngine.Sandbox.Topology.TopologyGenerator.Generate(new() { SharedRange = true });
        var file = Path.Combine(_dir, "shared.yaml");
        File.WriteAllText(
            file,
            CutoverEngine.Sandbox.Topology.TopologyGenerator.InventoryYaml(world, new Uri("http://127.0.0.1:8600/"))
        );

        var (exit, _, stderr) = await RunAsync("run", file, "--environments", "acme-dev,globex-stg");

        Assert.Equal(2, exit);
        Assert.Contains("range group 'globex-stg-umbrella-dev' (127.30.4.0/24)", stderr);
        Assert.Contains("has globex-stg but not umbrella-dev", stderr);
        AssertNothingStarted();
    }

    [Fact]
    public async Task An_unknown_environment_is_refused_with_a_hint_and_nothing_starts()
    {
        var (exit, _, stderr) = await RunAsync("run", SandboxInventory, "--environments", "acme-stg,acme-stag");
        Assert.Equal(2, exit);
        Assert.Contains("'acme-stag'", stderr);
        AssertNothingStarted();
    }

    [Fact]
    public async Task A_malformed_definition_fails_start_up_with_its_position_and_nothing_starts()
    {
        var workflows = Path.Combine(_dir, "workflows");
        Directory.CreateDirectory(workflows);
        var shipped = File.ReadAllText(Path.Combine(CutoverHarness.RepoRoot(), "workflows", "cutover.v1.json"));
        File.WriteAllText(
            Path.Combine(workflows, "cutover.v1.json"),
            shipped.Replace("\"RepointDns\"", "\"RepointDnz\"")
        );
        var config = Path.Combine(_dir, "engine.json");
        File.WriteAllText(config, $$"""{ "Engine": { "WorkflowsDirectory": "{{workflows}}" } }""");
        var (exit, _, stderr) = await RunAsync("run", SandboxInventory, "--all", "--config", config);
        Assert.Equal(2, exit);
        Assert.Matches(@"cutover\.v1\.json:\d+:\d+", stderr);
        Assert.Contains("RepointDnz", stderr);
        AssertNothingStarted();
    }
}
