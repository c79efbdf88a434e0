using System.Net;
using CutoverEngine.Engine.Finalisation;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Tests.Finalisation;

public sealed class SpfRetirementTests
{
    static readonly IPAddress[] Old = [IPAddress.Parse("10.1.1.11")];
    static readonly IPAddress[] New = [IPAddress.Parse("52.1.1.11")];

    [Theory]
    [InlineData("v=spf1 ip4:10.1.1.11 ip4:52.1.1.11 -all", "v=spf1 ip4:52.1.1.11 -all", "ip4:10.1.1.11")]
    [InlineData(
        "v=spf1 ip4:10.1.1.0/24 include:_spf.example.net ~all",
        "v=spf1 include:_spf.example.net ~all",
        "ip4:10.1.1.0/24"
    )]
    [InlineData("v=spf1 +ip4:10.1.1.11/32 mx -all", "v=spf1 mx -all", "+ip4:10.1.1.11/32")]
    public void An_ip_mechanism_of_only_old_addresses_is_removed(string before, string after, string removed)
    {
        var r = SpfRetirement.Retire(before, "example.com", Old, New, 24);

        Assert.Equal(after, r.After);
        Assert.Equal([removed], r.Removed);
        Assert.Empty(r.Kept);
    }

    [Fact]
    public void A_network_that_also_covers_an_address_in_use_stays_and_says_why()
    {
        var r = SpfRetirement.Retire(
            "v=spf1 ip4:10.0.0.0/8 -all",
            "example.com",
            Old,
            [IPAddress.Parse("10.9.9.9")],
            8
        );

        Assert.Equal("v=spf1 ip4:10.0.0.0/8 -all", r.After);
        Assert.Empty(r.Removed);
        Assert.Contains("10.9.9.9", Assert.Single(r.Kept));
    }

    [Fact]
    public void A_network_wider_than_the_limit_stays_for_a_person_to_decide()
    {
        var r = SpfRetirement.Retire("v=spf1 ip4:10.1.0.0/16 ip4:52.1.1.11 -all", "example.com", Old, New, 24);

        Assert.Equal("v=spf1 ip4:10.1.0.0/16 ip4:52.1.1.11 -all", r.After);
        Assert.Contains("wider than /24", Assert.Single(r.Kept));
    }

    [Fact]
    public void Mechanisms_that_do_not_pass_and_records_without_old_addresses_are_left_alone()
    {
        Assert.Empty(
            SpfRetirement.Retire("v=spf1 -ip4:10.1.1.11 ip4:52.1.1.11 -all", "example.com", Old, New, 24).Removed
        );
        var untouched = SpfRetirement.Retire("v=spf1 ip4:52.1.1.11 -all", "example.com", Old, New, 24);
        Assert.Equal("v=spf1 ip4:52.1.1.11 -all", untouched.After);
        Assert.Empty(untouched.Removed);
    }

    [Fact]
    public void An_invalid_record_is_refused()
    {
        Assert.Throws<SpfPermErrorException>(() =>
            SpfRetirement.Retire("v=spf1 ip4:999.1.1.1 -all", "example.com", Old, New, 24)
        );
    }
}
