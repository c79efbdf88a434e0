using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.Tests.Topology;

/// <summary>The benchmark's topology knobs: how many customers move by BYOIP, over how many accounts.</summary>
public sealed class GeneratorShareTests
{
    static SandboxTopology Generate(int environments, int accounts, double share) =>
        TopologyGenerator.Generate(
            new TopologyGeneratorOptions
            {
                Environments = environments,
                Accounts = accounts,
                ByoipShare = share,
                DesignedFailures = false,
            }
        );

    static int ByoipCustomers(SandboxTopology t) =>
        t.Environments.Where(e => e.IpStrategy == "byoip").Select(e => e.HostedZoneId).Distinct().Count();

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 25)]
    [InlineData(0.5, 50)]
    [InlineData(1.0, 100)]
    public void The_share_of_customers_on_byoip_is_the_one_asked_for(double share, int expected)
    {
        var t = Generate(300, 2, share);

        Assert.Equal(expected, ByoipCustomers(t));
        Assert.All(t.Environments, e => Assert.Equal(e.IpStrategy == "byoip", e.ByoipCidr is not null));
    }

    [Fact]
    public void The_default_share_is_every_third_customer_from_the_second_on()
    {
        var t = Generate(30, 2, new TopologyGeneratorOptions().ByoipShare);

        var byoipZones = t.Environments.Where(e => e.IpStrategy == "byoip").Select(e => e.HostedZoneId).Distinct();
        Assert.Equal(["Z00002SANDBOXZONE", "Z00005SANDBOXZONE", "Z00008SANDBOXZONE"], byoipZones.Order().Take(3));
        Assert.Equal(10 / 3, ByoipCustomers(t));
    }

    [Fact]
    public void Ten_accounts_spread_the_byoip_ranges_evenly()
    {
        var t = Generate(1000, 10, 1.0 / 3);

        var perAccount = t.Accounts.Select(a => a.ByoipRanges.Count).ToList();
        Assert.Equal(10, perAccount.Count);
        Assert.InRange(perAccount.Max() - perAccount.Min(), 0, 3);
        Assert.Equal(t.Environments.Count(e => e.IpStrategy == "byoip"), perAccount.Sum());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_share_outside_zero_to_one_is_refused_naming_the_value(double share)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Generate(10, 2, share));
        Assert.Contains("BYOIP share", e.Message);
    }
}
