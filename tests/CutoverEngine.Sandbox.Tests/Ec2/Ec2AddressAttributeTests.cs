using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;
using static CutoverEngine.Sandbox.Tests.Ec2.Ec2Harness;

namespace CutoverEngine.Sandbox.Tests.Ec2;

public sealed class Ec2AddressAttributeTests
{
    const string ReverseName = "1.0.20.127.in-addr.arpa";

    static string? Ptr(Ec2Harness h, string reverseName)
    {
        var answer = h.World.ResolveAuthoritative(reverseName, "PTR");
        return answer.Outcome == DnsOutcome.Answer ? answer.Records.Single().Values.Single() : null;
    }

    [Fact]
    public async Task ModifyAddressAttribute_sets_reverse_dns_when_the_forward_record_points_at_the_address()
    {
        await using var h = await StartAsync();
        Assert.Equal("ec2-127-20-0-1.compute-1.amazonaws.com.", Ptr(h, ReverseName));

        var result = await h.Client.ModifyAddressAttributeAsync(
            new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "MTA1." + ZoneName }
        );

        Assert.Equal(FreeEip, result.Address.AllocationId);
        Assert.Equal(FreeEipIp, result.Address.PublicIp);
        Assert.Equal("mta1.ec2test.example.", result.Address.PtrRecord);
        Assert.Equal("mta1.ec2test.example.", h.Account.ElasticIps[FreeEip].ReverseDns);
        Assert.Equal("mta1.ec2test.example.", Ptr(h, ReverseName));

        // Setting the same name again is fine (idempotent), and a CNAME that ends at the address counts too.
        await h.Client.ModifyAddressAttributeAsync(
            new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "mta1." + ZoneName }
        );
        var viaCname = await h.Client.ModifyAddressAttributeAsync(
            new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "mail." + ZoneName + "." }
        );
        Assert.Equal("mail.ec2test.example.", viaCname.Address.PtrRecord);
    }

    [Theory]
    [InlineData("elsewhere.ec2test.example", "127.9.9.9")] // resolves, but to another address
    [InlineData("missing.ec2test.example", "does not exist")] // NXDOMAIN
    [InlineData("mta1.unknown-zone.example", "no hosted zone")] // not served at all
    public async Task ModifyAddressAttribute_refuses_a_name_whose_A_record_does_not_resolve_to_the_address(
        string name,
        string explained
    )
    {
        await using var h = await StartAsync();

        var e = await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.ModifyAddressAttributeAsync(
                    new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = name }
                )
        );

        Assert.Contains(explained, e.Message);
        Assert.Contains(FreeEipIp, e.Message);
        Assert.Null(h.Account.ElasticIps[FreeEip].ReverseDns);
        Assert.Equal("ec2-127-20-0-1.compute-1.amazonaws.com.", Ptr(h, ReverseName));
    }

    [Fact]
    public async Task ModifyAddressAttribute_checks_each_address_against_its_own_forward_record()
    {
        // mta2 points at the associated address: it may name that address, not the free one.
        await using var h = await StartAsync(t =>
            t.Accounts[0]
                .HostedZones[0]
                .Records.Add(new TopologyRecord { Name = "mta2." + ZoneName, Values = [AssociatedEipIp] })
        );

        var result = await h.Client.ModifyAddressAttributeAsync(
            new ModifyAddressAttributeRequest { AllocationId = AssociatedEip, DomainName = "mta2." + ZoneName }
        );
        Assert.Equal("mta2.ec2test.example.", result.Address.PtrRecord);
        await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.ModifyAddressAttributeAsync(
                    new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "mta2." + ZoneName }
                )
        );
    }

    [Fact]
    public async Task ModifyAddressAttribute_refuses_unknown_addresses_and_byoip_addresses()
    {
        await using var h = await StartAsync();

        await Ec2Assert.FailsAsync(
            "InvalidAllocationID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.ModifyAddressAttributeAsync(
                    new ModifyAddressAttributeRequest
                    {
                        AllocationId = "eipalloc-0000000000000dead",
                        DomainName = "mta1." + ZoneName,
                    }
                )
        );
        var e = await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.ModifyAddressAttributeAsync(
                    new ModifyAddressAttributeRequest { AllocationId = ByoipEip, DomainName = "mtab." + ZoneName }
                )
        );
        Assert.Contains("BYOIP", e.Message);
        await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.ModifyAddressAttributeAsync(
                    new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "not a name!" }
                )
        );
    }

    [Fact]
    public async Task ResetAddressAttribute_restores_the_default_reverse_dns()
    {
        await using var h = await StartAsync();
        await h.Client.ModifyAddressAttributeAsync(
            new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "mta1." + ZoneName }
        );

        var result = await h.Client.ResetAddressAttributeAsync(
            new ResetAddressAttributeRequest { AllocationId = FreeEip, Attribute = AddressAttributeName.DomainName }
        );

        Assert.Equal("ec2-127-20-0-1.compute-1.amazonaws.com.", result.Address.PtrRecord);
        Assert.Equal(FreeEip, result.Address.AllocationId);
        Assert.Null(h.Account.ElasticIps[FreeEip].ReverseDns);
        Assert.Equal("ec2-127-20-0-1.compute-1.amazonaws.com.", Ptr(h, ReverseName));
        await Ec2Assert.FailsAsync(
            "InvalidAllocationID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.ResetAddressAttributeAsync(
                    new ResetAddressAttributeRequest
                    {
                        AllocationId = OtherAccountEip,
                        Attribute = AddressAttributeName.DomainName,
                    }
                )
        );
    }

    [Fact]
    public async Task DescribeAddressesAttribute_shows_each_addresss_ptr_record_and_pages()
    {
        await using var h = await StartAsync();
        await h.Client.ModifyAddressAttributeAsync(
            new ModifyAddressAttributeRequest { AllocationId = FreeEip, DomainName = "mta1." + ZoneName }
        );

        var one = await h.Client.DescribeAddressesAttributeAsync(
            new DescribeAddressesAttributeRequest
            {
                AllocationIds = [FreeEip],
                Attribute = AddressAttributeName.DomainName,
            }
        );
        var item = one.Addresses.Single();
        Assert.Equal(FreeEipIp, item.PublicIp);
        Assert.Equal("mta1.ec2test.example.", item.PtrRecord);
        Assert.Null(one.NextToken);

        var firstPage = await h.Client.DescribeAddressesAttributeAsync(
            new DescribeAddressesAttributeRequest { Attribute = AddressAttributeName.DomainName, MaxResults = 2 }
        );
        Assert.Equal([FreeEip, AssociatedEip], firstPage.Addresses.Select(a => a.AllocationId));
        Assert.Equal("ec2-127-20-0-2.compute-1.amazonaws.com.", firstPage.Addresses[1].PtrRecord);
        Assert.NotNull(firstPage.NextToken);
        var secondPage = await h.Client.DescribeAddressesAttributeAsync(
            new DescribeAddressesAttributeRequest
            {
                Attribute = AddressAttributeName.DomainName,
                MaxResults = 2,
                NextToken = firstPage.NextToken,
            }
        );
        var byoip = secondPage.Addresses.Single();
        Assert.Equal(ByoipEip, byoip.AllocationId);
        Assert.Null(byoip.PtrRecord); // BYOIP reverse DNS is the range owner's, not EC2's
        Assert.Null(secondPage.NextToken);

        await Ec2Assert.FailsAsync(
            "InvalidAllocationID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DescribeAddressesAttributeAsync(
                    new DescribeAddressesAttributeRequest
                    {
                        AllocationIds = ["eipalloc-0000000000000dead"],
                        Attribute = AddressAttributeName.DomainName,
                    }
                )
        );
        await Ec2Assert.FailsAsync(
            "InvalidPaginationToken",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DescribeAddressesAttributeAsync(
                    new DescribeAddressesAttributeRequest
                    {
                        Attribute = AddressAttributeName.DomainName,
                        NextToken = "bogus",
                    }
                )
        );
    }
}
