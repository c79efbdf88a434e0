using System.Net;
using System.Xml.Linq;
using Amazon.EC2;
using Amazon.EC2.Model;
using static CutoverEngine.Sandbox.Tests.Ec2.Ec2Harness;

namespace CutoverEngine.Sandbox.Tests.Ec2;

/// <summary>Wire-level behaviour: response shape, protocol errors, quotas, dry runs and account isolation.</summary>
public sealed class Ec2ProtocolTests
{
    static readonly XNamespace Ec2 = "http://ec2.amazonaws.com/doc/2016-11-15/";

    [Fact]
    public async Task Responses_are_namespaced_lower_camel_xml_with_the_request_id()
    {
        await using var h = await StartAsync();

        var (status, body) = await h.SendRawAsync(
            $"Action=DescribeAddresses&Version=2016-11-15&AllocationId.1={AssociatedEip}"
        );

        Assert.Equal(HttpStatusCode.OK, status);
        var root = XElement.Parse(body);
        Assert.Equal(Ec2 + "DescribeAddressesResponse", root.Name);
        Assert.Equal(Ec2 + "requestId", root.Elements().First().Name);
        Assert.Matches("^[0-9a-f-]{36}$", root.Element(Ec2 + "requestId")!.Value);
        var item = root.Element(Ec2 + "addressesSet")!.Element(Ec2 + "item")!;
        Assert.Equal(AssociatedEipIp, item.Element(Ec2 + "publicIp")!.Value);
        Assert.Equal(Instance2, item.Element(Ec2 + "instanceId")!.Value);
        Assert.Equal("vpc", item.Element(Ec2 + "domain")!.Value);
    }

    [Fact]
    public async Task An_unknown_action_is_InvalidAction()
    {
        await using var h = await StartAsync();

        var (status, body) = await h.SendRawAsync("Action=TerminateEverything&Version=2016-11-15");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = XElement.Parse(body).Element("Errors")!.Element("Error")!;
        Assert.Equal("InvalidAction", error.Element("Code")!.Value);
    }

    [Theory]
    [InlineData("Action=AdvertiseByoipCidr&Version=2016-11-15", "Cidr")]
    [InlineData("Action=DescribeByoipCidrs&Version=2016-11-15", "MaxResults")]
    [InlineData("Action=ModifyAddressAttribute&Version=2016-11-15&DomainName=mta1.ec2test.example", "AllocationId")]
    [InlineData("Action=ModifyAddressAttribute&Version=2016-11-15&AllocationId=" + FreeEip, "DomainName")]
    [InlineData("Action=ResetAddressAttribute&Version=2016-11-15&AllocationId=" + FreeEip, "Attribute")]
    [InlineData("Action=DisassociateAddress&Version=2016-11-15", "AssociationId")]
    [InlineData("Action=AssociateAddress&Version=2016-11-15&InstanceId=" + Instance1, "AllocationId")]
    public async Task A_missing_required_parameter_is_MissingParameter_naming_it(string form, string parameter)
    {
        await using var h = await StartAsync();

        var (status, body) = await h.SendRawAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var root = XElement.Parse(body);
        Assert.Equal("Response", root.Name.LocalName);
        var error = root.Element("Errors")!.Element("Error")!;
        Assert.Equal("MissingParameter", error.Element("Code")!.Value);
        Assert.Contains(parameter, error.Element("Message")!.Value);
        Assert.False(string.IsNullOrEmpty(root.Element("RequestID")!.Value));
    }

    [Fact]
    public async Task Mutating_calls_draw_from_their_own_bucket_and_describe_calls_from_theirs()
    {
        await using var h = await StartAsync(t =>
        {
            t.Settings.Ec2Mutating = new() { Burst = 2, PerSecond = 1 };
            t.Settings.Ec2Describe = new() { Burst = 3, PerSecond = 1 };
        });

        await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = FreeEip, InstanceId = Instance1 }
        );
        await h.Client.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc });
        await Ec2Assert.FailsAsync(
            "RequestLimitExceeded",
            HttpStatusCode.ServiceUnavailable,
            () =>
                h.Client.DisassociateAddressAsync(
                    new DisassociateAddressRequest { AssociationId = h.Account.ElasticIps[FreeEip].AssociationId }
                )
        );
        Assert.Equal(Instance1, h.Account.ElasticIps[FreeEip].InstanceId); // refused before it acted
        await Ec2Assert.FailsAsync(
            "RequestLimitExceeded",
            HttpStatusCode.ServiceUnavailable,
            () =>
                h.Client.ModifyAddressAttributeAsync(
                    new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "mta1." + ZoneName }
                )
        );

        // Describe calls still have their own budget.
        await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest());
        await h.Client.DescribeByoipCidrsAsync(new DescribeByoipCidrsRequest { MaxResults = 10 });
        await h.Client.DescribeAddressesAttributeAsync(
            new DescribeAddressesAttributeRequest { Attribute = AddressAttributeName.DomainName }
        );
        await Ec2Assert.FailsAsync(
            "RequestLimitExceeded",
            HttpStatusCode.ServiceUnavailable,
            () => h.Client.DescribeAddressesAsync(new DescribeAddressesRequest())
        );

        // The buckets refill at their rate.
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        await h.Client.DisassociateAddressAsync(
            new DisassociateAddressRequest { AssociationId = h.Account.ElasticIps[FreeEip].AssociationId }
        );
        await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest());
        Assert.Null(h.Account.ElasticIps[FreeEip].InstanceId);
        var counters = h.Sandbox.Metrics.For(AccountId, "ec2", "DisassociateAddress");
        Assert.Equal(1, counters.Throttled);
        Assert.Equal(1, counters.Accepted);
    }

    [Fact]
    public async Task Dry_runs_answer_DryRunOperation_and_change_nothing()
    {
        await using var h = await StartAsync();

        await Ec2Assert.FailsAsync(
            "DryRunOperation",
            HttpStatusCode.PreconditionFailed,
            () =>
                h.Client.AssociateAddressAsync(
                    new AssociateAddressRequest
                    {
                        AllocationId = FreeEip,
                        InstanceId = Instance1,
                        DryRun = true,
                    }
                )
        );
        await Ec2Assert.FailsAsync(
            "DryRunOperation",
            HttpStatusCode.PreconditionFailed,
            () => h.Client.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc, DryRun = true })
        );
        await Ec2Assert.FailsAsync(
            "DryRunOperation",
            HttpStatusCode.PreconditionFailed,
            () =>
                h.Client.AdvertiseByoipCidrAsync(new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr, DryRun = true })
        );
        // A dry run of a call that would fail reports the real error.
        await Ec2Assert.FailsAsync(
            "InvalidInstanceID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AssociateAddressAsync(
                    new AssociateAddressRequest
                    {
                        AllocationId = FreeEip,
                        InstanceId = "i-00000000000000000",
                        DryRun = true,
                    }
                )
        );

        Assert.Null(h.Account.ElasticIps[FreeEip].InstanceId);
        Assert.Equal(3, h.Account.ElasticIps.Count);
        Assert.Equal("provisioned", h.Account.ByoipRanges[ByoipRangeCidr].StateAt(h.World.Now));
    }

    [Fact]
    public async Task Each_account_sees_and_changes_only_its_own_resources()
    {
        await using var h = await StartAsync();
        using var other = h.NewClient(OtherAccessKey, OtherSecretKey);

        var theirs = await other.DescribeAddressesAsync(new DescribeAddressesRequest());
        Assert.Equal([OtherAccountEip], theirs.Addresses.Select(a => a.AllocationId));
        await Ec2Assert.FailsAsync(
            "InvalidInstanceID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                other.AssociateAddressAsync(
                    new AssociateAddressRequest { AllocationId = OtherAccountEip, InstanceId = Instance1 }
                )
        );
        var noRanges = await other.DescribeByoipCidrsAsync(new DescribeByoipCidrsRequest { MaxResults = 10 });
        Assert.Empty(noRanges.ByoipCidrs ?? []);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_before_any_operation_runs()
    {
        await using var h = await StartAsync();
        using var forged = h.NewClient(AccessKey, "not-the-secret");

        await Ec2Assert.FailsAsync(
            "SignatureDoesNotMatch",
            HttpStatusCode.Forbidden,
            () =>
                forged.AssociateAddressAsync(
                    new AssociateAddressRequest { AllocationId = FreeEip, InstanceId = Instance1 }
                )
        );
        Assert.Null(h.Account.ElasticIps[FreeEip].InstanceId);
    }
}
