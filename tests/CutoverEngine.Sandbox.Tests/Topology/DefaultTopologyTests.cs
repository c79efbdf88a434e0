using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.Tests.Topology;

public sealed class DefaultTopologyTests
{
    static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CutoverEngine.sln")))
            dir = dir.Parent;
        return Path.Combine(
            dir?.FullName ?? throw new InvalidOperationException("repository root not found"),
            relative
        );
    }

    [Fact]
    public void The_shipped_default_topology_is_what_the_generator_makes()
    {
        var shipped = TopologyLoader.Load(RepoFile("infra/sandbox/default.yaml"));
        var generated = TopologyGenerator.Generate(
            new TopologyGeneratorOptions { Environments = 15, DesignedFailures = true }
        );
        Assert.Equal(TopologyLoader.Serialize(generated), TopologyLoader.Serialize(shipped));
        Assert.Equal(TopologyLoader.Serialize(shipped), TopologyLoader.Serialize(TopologyLoader.LoadDefault()));
    }

    [Fact]
    public void The_default_topology_covers_every_tier_offering_and_strategy_with_shared_zones()
    {
        var t = TopologyLoader.LoadDefault();
        // the generator's 15 (The_shipped_default_topology_is_what_the_generator_makes)
        Assert.Equal(15, t.Environments.Count);
        Assert.Equal(["development", "production", "staging"], t.Environments.Select(e => e.Tier).Distinct().Order());
        Assert.Equal(
            ["managed-services", "v7-hosted", "v7-hybrid", "v8"],
            t.Environments.Select(e => e.Offering).Distinct().Order()
        );
        Assert.Equal(["byoip", "elastic-ip"], t.Environments.Select(e => e.IpStrategy).Distinct().Order());
        Assert.Contains(t.Environments.GroupBy(e => e.HostedZoneId), g => g.Count() > 1);
        Assert.Equal(
            ["umbrella-stg"],
            t.Environments.Where(e => e.DesignedFailure == DesignedFailure.WrongGreeting).Select(e => e.Id)
        );
        Assert.Equal(
            ["hooli-dev"],
            t.Environments.Where(e => e.DesignedFailure == DesignedFailure.HighTtl).Select(e => e.Id)
        );
        Assert.Equal(
            ["initech-stg"],
            t.Environments.Where(e => e.DesignedFailure == DesignedFailure.OtherFunctionAffected).Select(e => e.Id)
        );
    }

    [Fact]
    public void The_sandbox_dns_serves_a_blocklist_that_lists_only_initech_devs_new_address()
    {
        var t = TopologyLoader.LoadDefault();
        Assert.Equal(
            ["initech-dev"],
            t.Environments.Where(e => e.DesignedFailure == DesignedFailure.BlocklistedTarget).Select(e => e.Id)
        );
        var world = new World.SandboxWorld(t, TimeProvider.System);

        var listed = world.ResolveAuthoritative("11.6.20.127.zen.spamhaus.org", "A");
        var clean = world.ResolveAuthoritative("11.1.20.127.zen.spamhaus.org", "A");

        Assert.Equal(World.DnsOutcome.Answer, listed.Outcome);
        Assert.Equal("127.0.0.2", Assert.Single(listed.Records.Single().Values));
        Assert.Equal(World.DnsOutcome.NameError, clean.Outcome);
    }

    [Fact]
    public void The_shipped_sandbox_inventory_is_the_one_written_for_the_default_topology()
    {
        var expected = TopologyGenerator.InventoryYaml(TopologyLoader.LoadDefault(), new Uri("http://127.0.0.1:8601/"));
        Assert.Equal(expected, File.ReadAllText(RepoFile("infra/inventory/sandbox.yaml")));
    }

    [Fact]
    public void A_topology_naming_a_missing_host_is_refused_with_the_field()
    {
        var yaml = """
            accounts:
            - id: "111111111111"
              accessKeyId: AK
              secretAccessKey: S
              instances:
              - { instanceId: i-1, host: nowhere }
            """;
        var e = Assert.Throws<World.SandboxTopologyException>(() => TopologyLoader.Parse(yaml, "t.yaml"));
        Assert.Contains("accounts[0].instances[0].host: no host with id 'nowhere'", e.Message);
    }
}
