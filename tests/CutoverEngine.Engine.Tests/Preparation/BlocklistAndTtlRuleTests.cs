using System.Net;
using CutoverEngine.Engine.Preparation;

namespace CutoverEngine.Engine.Tests.Preparation;

public sealed class BlocklistAndTtlRuleTests
{
    [Theory]
    [InlineData("127.0.0.2", BlocklistStatus.Listed)]
    [InlineData("127.0.0.4", BlocklistStatus.Listed)]
    [InlineData("127.0.0.11", BlocklistStatus.Listed)]
    [InlineData("127.0.0.12", BlocklistStatus.Error)]
    [InlineData("127.0.0.1", BlocklistStatus.Error)]
    [InlineData("127.255.255.254", BlocklistStatus.Error)]
    [InlineData("127.255.255.252", BlocklistStatus.Error)]
    public void Zen_answers_are_listings_only_from_2_to_11(string answer, BlocklistStatus expected) =>
        Assert.Equal(expected, BlocklistVerdict.Of(false, [IPAddress.Parse(answer)], null));

    [Fact]
    public void Nxdomain_is_not_listed_and_a_failed_query_is_an_error()
    {
        Assert.Equal(BlocklistStatus.NotListed, BlocklistVerdict.Of(true, [], null));
        Assert.Equal(BlocklistStatus.NotListed, BlocklistVerdict.Of(false, [], null));
        Assert.Equal(BlocklistStatus.Error, BlocklistVerdict.Of(false, [], "ServerFailure"));
    }

    [Fact]
    public void An_error_code_beside_a_listing_code_is_an_error()
    {
        var answers = new[] { IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.255.255.254") };
        Assert.Equal(BlocklistStatus.Error, BlocklistVerdict.Of(false, answers, null));
    }

    [Fact]
    public void The_query_name_reverses_the_octets() =>
        Assert.Equal(
            "11.1.20.127.zen.spamhaus.org",
            BlocklistVerdict.QueryName(IPAddress.Parse("127.20.1.11"), "zen.spamhaus.org.")
        );

    [Fact]
    public void A_lowered_ttl_is_in_force_once_the_old_ttl_has_passed()
    {
        var lowered = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var old = TimeSpan.FromSeconds(3600);
        Assert.Equal(TimeSpan.FromSeconds(3600), TtlElapsedRule.Remaining(lowered, old, lowered));
        Assert.Equal(TimeSpan.FromSeconds(1), TtlElapsedRule.Remaining(lowered, old, lowered.AddSeconds(3599)));
        Assert.Equal(TimeSpan.Zero, TtlElapsedRule.Remaining(lowered, old, lowered.AddSeconds(3600)));
        Assert.Equal(TimeSpan.Zero, TtlElapsedRule.Remaining(lowered, old, lowered.AddDays(3)));
    }

    [Fact]
    public void The_lead_is_never_less_than_twice_the_largest_ttl()
    {
        Assert.Equal(TimeSpan.FromHours(72), TtlElapsedRule.Lead(TimeSpan.FromHours(72), TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromHours(4), TtlElapsedRule.Lead(TimeSpan.FromHours(1), TimeSpan.FromHours(2)));
    }
}
