using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.Tests.Topology;

/// <summary>Topology YAML is written by YamlDotNet's serializer: free text comes back exactly as it went in.</summary>
public sealed class TopologyWritingTests
{
    [Theory]
    [InlineData("Acme: \"Ltd\" #1")]
    [InlineData("'quoted' & [bracketed] {braced}")]
    [InlineData("null")]
    [InlineData("123456789012")]
    public void A_customer_name_with_yaml_syntax_in_it_reads_back_unchanged(string customer)
    {
        var t = TopologyGenerator.Generate(new TopologyGeneratorOptions { Environments = 3, DesignedFailures = false });
        foreach (var e in t.Environments)
            e.Customer = customer;

        var read = TopologyLoader.Parse(TopologyLoader.Serialize(t), "t.yaml");

        Assert.Equal(t.Environments.Select(_ => customer), read.Environments.Select(e => e.Customer));
    }
}
