using System.Net;
using Amazon.EC2.Model;
using CutoverEngine.Sandbox.Topology;
using static CutoverEngine.Sandbox.Tests.Ec2.Ec2Harness;

namespace CutoverEngine.Sandbox.Tests.Ec2;

public sealed class Ec2ByoipTests
{
    /// <summary>AWS allows one advertise or withdraw per 10 s per account; tests step the fake clock past it.</summary>
    static readonly TimeSpan ByoipSpacing = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Advertise_then_withdraw_moves_traffic_only_after_propagation()
    {
        await using var h = await StartAsync();
        await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = ByoipEip, InstanceId = Instance1 }
        );
        var propagation = TimeSpan.FromSeconds(h.World.Settings.ByoipPropagationSeconds);

        var advertising = await h.Client.AdvertiseByoipCidrAsync(
            new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr }
        );
        Assert.Equal(ByoipRangeCidr, advertising.ByoipCidr.Cidr);
        Assert.Equal("pending-advertising", advertising.ByoipCidr.State.Value);
        Assert.Equal(DcHostId, h.OwnerOf(ByoipEipIp));
        Assert.Equal(h.World.Now, h.Account.LastByoipCallAt);

        h.Clock.Advance(propagation - TimeSpan.FromMilliseconds(1));
        Assert.Equal(DcHostId, h.OwnerOf(ByoipEipIp));
        h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(AwsHost1, h.OwnerOf(ByoipEipIp));
        Assert.Equal("advertised", await StateOf(h, ByoipRangeCidr));

        h.Clock.Advance(ByoipSpacing);
        var withdrawing = await h.Client.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { Cidr = ByoipRangeCidr });
        Assert.Equal("pending-withdrawal", withdrawing.ByoipCidr.State.Value);
        Assert.Equal(AwsHost1, h.OwnerOf(ByoipEipIp)); // AWS still announces until BGP converges

        h.Clock.Advance(propagation);
        Assert.Equal(DcHostId, h.OwnerOf(ByoipEipIp));
        Assert.Equal("provisioned", await StateOf(h, ByoipRangeCidr));
    }

    [Fact]
    public async Task Advertising_a_range_more_specific_than_24_is_refused_and_changes_nothing()
    {
        const string narrow = "127.102.0.0/25";
        await using var h = await StartAsync(t => t.Accounts[0].ByoipRanges.Add(new() { Cidr = narrow }));

        var e = await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () => h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = narrow })
        );

        Assert.Contains("most specific IPv4 prefix that can be advertised is /24", e.Message);
        Assert.Equal("provisioned", await StateOf(h, narrow));
        Assert.Null(h.Account.LastByoipCallAt);
    }

    [Fact]
    public async Task A_second_advertise_or_withdraw_within_ten_seconds_is_throttled()
    {
        await using var h = await StartAsync();
        await h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr });

        // Even for a different range: the limit is per account.
        var e = await Ec2Assert.FailsAsync(
            "RequestLimitExceeded",
            HttpStatusCode.ServiceUnavailable,
            () => h.Client.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { Cidr = AdvertisedCidr })
        );
        Assert.Equal("advertised", h.Account.ByoipRanges[AdvertisedCidr].StateAt(h.World.Now));

        h.Clock.Advance(ByoipSpacing - TimeSpan.FromSeconds(1));
        await Ec2Assert.FailsAsync(
            "RequestLimitExceeded",
            HttpStatusCode.ServiceUnavailable,
            () => h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr })
        );

        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var withdrawn = await h.Client.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { Cidr = AdvertisedCidr });
        Assert.Equal("pending-withdrawal", withdrawn.ByoipCidr.State.Value);

        // Other accounts have their own budget.
        using var other = h.NewClient(OtherAccessKey, OtherSecretKey);
        await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () => other.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr })
        );
    }

    [Fact]
    public async Task Advertising_an_advertised_or_advertising_range_answers_its_state_without_change()
    {
        // Propagation longer than the 10 s spacing, so a repeat can arrive while the range is still pending.
        await using var h = await StartAsync(t => t.Settings.ByoipPropagationSeconds = 60);

        var result = await h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = AdvertisedCidr });
        Assert.Equal("advertised", result.ByoipCidr.State.Value);
        Assert.Null(h.Account.ByoipRanges[AdvertisedCidr].TransitionAt);

        h.Clock.Advance(ByoipSpacing);
        await h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr });
        var due = h.Account.ByoipRanges[ByoipRangeCidr].TransitionAt;
        Assert.Equal(h.World.Now + TimeSpan.FromSeconds(60), due);

        h.Clock.Advance(ByoipSpacing);
        var repeat = await h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr });
        Assert.Equal("pending-advertising", repeat.ByoipCidr.State.Value);
        Assert.Equal(due, h.Account.ByoipRanges[ByoipRangeCidr].TransitionAt); // the repeat did not restart propagation
    }

    [Fact]
    public async Task Withdrawing_a_provisioned_range_is_a_no_op_and_advertising_while_withdrawing_is_refused()
    {
        await using var h = await StartAsync(t => t.Settings.ByoipPropagationSeconds = 60);

        var noop = await h.Client.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { Cidr = ByoipRangeCidr });
        Assert.Equal("provisioned", noop.ByoipCidr.State.Value);
        Assert.Null(h.Account.ByoipRanges[ByoipRangeCidr].TransitionAt);

        h.Clock.Advance(ByoipSpacing);
        await h.Client.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { Cidr = AdvertisedCidr });
        h.Clock.Advance(ByoipSpacing);
        var e = await Ec2Assert.FailsAsync(
            "IncorrectState",
            HttpStatusCode.BadRequest,
            () => h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = AdvertisedCidr })
        );
        Assert.Contains("pending-withdrawal", e.Message);
        Assert.Equal("pending-withdrawal", h.Account.ByoipRanges[AdvertisedCidr].StateAt(h.World.Now));
    }

    [Fact]
    public async Task Unknown_or_malformed_cidrs_are_refused()
    {
        await using var h = await StartAsync();

        var e = await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () => h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = "198.51.100.0/24" })
        );
        Assert.Contains("198.51.100.0/24", e.Message);
        Assert.Contains(ByoipRangeCidr, e.Message); // names what is provisioned
        h.Clock.Advance(ByoipSpacing);
        await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () => h.Client.WithdrawByoipCidrAsync(new WithdrawByoipCidrRequest { Cidr = "not-a-cidr" })
        );
    }

    [Fact]
    public async Task DescribeByoipCidrs_pages_with_next_token()
    {
        await using var h = await StartAsync(t =>
            t.Accounts[0].ByoipRanges.Add(new TopologyByoipRange { Cidr = "127.102.0.0/24" })
        );

        var first = await h.Client.DescribeByoipCidrsAsync(new DescribeByoipCidrsRequest { MaxResults = 2 });
        Assert.Equal([ByoipRangeCidr, AdvertisedCidr], first.ByoipCidrs.Select(c => c.Cidr));
        Assert.Equal(["provisioned", "advertised"], first.ByoipCidrs.Select(c => c.State.Value));
        Assert.NotNull(first.NextToken);

        var second = await h.Client.DescribeByoipCidrsAsync(
            new DescribeByoipCidrsRequest { MaxResults = 2, NextToken = first.NextToken }
        );
        Assert.Equal(["127.102.0.0/24"], second.ByoipCidrs.Select(c => c.Cidr));
        Assert.Null(second.NextToken);

        var all = await h.Client.DescribeByoipCidrsAsync(new DescribeByoipCidrsRequest { MaxResults = 100 });
        Assert.Equal(3, all.ByoipCidrs.Count);
        Assert.Null(all.NextToken);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task DescribeByoipCidrs_requires_max_results_between_1_and_100(int maxResults)
    {
        await using var h = await StartAsync();
        var e = await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () => h.Client.DescribeByoipCidrsAsync(new DescribeByoipCidrsRequest { MaxResults = maxResults })
        );
        Assert.Contains("MaxResults", e.Message);
    }

    [Fact]
    public async Task DescribeByoipCidrs_refuses_a_token_it_did_not_issue()
    {
        await using var h = await StartAsync();
        await Ec2Assert.FailsAsync(
            "InvalidPaginationToken",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DescribeByoipCidrsAsync(
                    new DescribeByoipCidrsRequest { MaxResults = 5, NextToken = "garbage" }
                )
        );
    }

    static async Task<string> StateOf(Ec2Harness h, string cidr) =>
        (await h.Client.DescribeByoipCidrsAsync(new DescribeByoipCidrsRequest { MaxResults = 100 }))
            .ByoipCidrs.Single(c => c.Cidr == cidr)
            .State.Value;
}
