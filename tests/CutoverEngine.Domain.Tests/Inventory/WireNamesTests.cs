using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Tests.Inventory;

public class WireNamesTests
{
    [Fact]
    public void Enum_values_have_kebab_case_wire_names()
    {
        Assert.Equal(["development", "staging", "production"], WireNames.All<Tier>());
        Assert.Equal(["v7-hosted", "v7-hybrid", "managed-services", "v8"], WireNames.All<Offering>());
        Assert.Equal(["elastic-ip", "byoip"], WireNames.All<IpStrategy>());
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        Assert.Equal("managed-services", Offering.ManagedServices.ToWireName());
        Assert.True(WireNames.TryParse<Offering>("managed-services", out var offering));
        Assert.Equal(Offering.ManagedServices, offering);
    }

    [Theory]
    [InlineData("ManagedServices")]
    [InlineData("managed_services")]
    [InlineData("Managed-Services")]
    public void Only_the_exact_wire_name_parses(string text)
    {
        Assert.False(WireNames.TryParse<Offering>(text, out _));
    }
}
