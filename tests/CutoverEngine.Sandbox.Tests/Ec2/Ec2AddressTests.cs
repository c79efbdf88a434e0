using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using static CutoverEngine.Sandbox.Tests.Ec2.Ec2Harness;

namespace CutoverEngine.Sandbox.Tests.Ec2;

public sealed class Ec2AddressTests
{
    static Filter F(string name, params string[] values) => new() { Name = name, Values = [.. values] };

    [Fact]
    public async Task DescribeAddresses_lists_the_callers_addresses_with_their_association()
    {
        await using var h = await StartAsync();

        var result = await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest());

        Assert.Equal([FreeEipIp, AssociatedEipIp, ByoipEipIp], result.Addresses.Select(a => a.PublicIp));
        Assert.DoesNotContain(result.Addresses, a => a.AllocationId == OtherAccountEip);
        var associated = result.Addresses.Single(a => a.AllocationId == AssociatedEip);
        Assert.Equal(Instance2, associated.InstanceId);
        Assert.Equal(h.Account.ElasticIps[AssociatedEip].AssociationId, associated.AssociationId);
        Assert.StartsWith("eipassoc-", associated.AssociationId);
        Assert.Equal(DomainType.Vpc, associated.Domain);
        Assert.Matches("^eni-[0-9a-f]{17}$", associated.NetworkInterfaceId);
        Assert.Equal(AccountId, associated.NetworkInterfaceOwnerId);
        Assert.StartsWith("10.", associated.PrivateIpAddress);
        Assert.Equal("amazon", associated.PublicIpv4Pool);
        Assert.Equal("us-east-1", associated.NetworkBorderGroup);
        var free = result.Addresses.Single(a => a.AllocationId == FreeEip);
        Assert.Null(free.InstanceId);
        Assert.Null(free.AssociationId);
        Assert.Null(free.NetworkInterfaceId);
        Assert.Equal(ByoipPoolName, result.Addresses.Single(a => a.AllocationId == ByoipEip).PublicIpv4Pool);
        Assert.False(string.IsNullOrEmpty(result.ResponseMetadata.RequestId));
    }

    [Fact]
    public async Task DescribeAddresses_applies_filters_and_id_lists()
    {
        await using var h = await StartAsync();
        var associationId = h.Account.ElasticIps[AssociatedEip].AssociationId!;
        async Task<string[]> Allocations(DescribeAddressesRequest request) =>
            [.. ((await h.Client.DescribeAddressesAsync(request)).Addresses ?? []).Select(a => a.AllocationId)];

        Assert.Equal([FreeEip], await Allocations(new() { Filters = [F("allocation-id", FreeEip)] }));
        Assert.Equal([AssociatedEip], await Allocations(new() { Filters = [F("association-id", associationId)] }));
        Assert.Equal([AssociatedEip], await Allocations(new() { Filters = [F("instance-id", Instance2)] }));
        Assert.Equal([ByoipEip], await Allocations(new() { Filters = [F("public-ip", ByoipEipIp)] }));
        Assert.Equal(3, (await Allocations(new() { Filters = [F("domain", "vpc")] })).Length);
        Assert.Empty(await Allocations(new() { Filters = [F("domain", "standard")] }));
        var eni = (
            await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AssociatedEip] })
        )
            .Addresses[0]
            .NetworkInterfaceId;
        Assert.Equal([AssociatedEip], await Allocations(new() { Filters = [F("network-interface-id", eni)] }));
        // Wildcards, several values (OR) and several filters (AND).
        Assert.Equal([FreeEip, AssociatedEip], await Allocations(new() { Filters = [F("public-ip", "127.20.0.*")] }));
        Assert.Equal(
            [FreeEip, ByoipEip],
            await Allocations(new() { Filters = [F("allocation-id", FreeEip, ByoipEip)] })
        );
        Assert.Equal(
            [FreeEip],
            await Allocations(new() { Filters = [F("public-ip", "127.20.0.?"), F("allocation-id", FreeEip, ByoipEip)] })
        );
        Assert.Empty(await Allocations(new() { Filters = [F("tag:Name", "anything")] }));
        // PublicIp.N and AllocationId.N.
        Assert.Equal([FreeEip, ByoipEip], await Allocations(new() { PublicIps = [ByoipEipIp, FreeEipIp] }));
        Assert.Equal([AssociatedEip], await Allocations(new() { AllocationIds = [AssociatedEip] }));
    }

    [Fact]
    public async Task DescribeAddresses_refuses_unknown_ids_and_filters()
    {
        await using var h = await StartAsync();

        var e = await Ec2Assert.FailsAsync(
            "InvalidAllocationID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DescribeAddressesAsync(
                    new DescribeAddressesRequest { AllocationIds = [FreeEip, "eipalloc-0000000000000dead"] }
                )
        );
        Assert.Contains("eipalloc-0000000000000dead", e.Message);
        // Another account's address does not exist for this caller.
        await Ec2Assert.FailsAsync(
            "InvalidAllocationID.NotFound",
            HttpStatusCode.BadRequest,
            () => h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [OtherAccountEip] })
        );
        e = await Ec2Assert.FailsAsync(
            "InvalidAddress.NotFound",
            HttpStatusCode.BadRequest,
            () => h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { PublicIps = ["127.30.0.1"] })
        );
        Assert.Contains("127.30.0.1", e.Message);
        e = await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () => h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { Filters = [F("colour", "blue")] })
        );
        Assert.Contains("colour", e.Message);
    }

    [Fact]
    public async Task AllocateAddress_without_a_pool_takes_a_free_sandbox_address()
    {
        await using var h = await StartAsync();

        var first = await h.Client.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc });
        var second = await h.Client.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc });

        Assert.StartsWith("127.200.", first.PublicIp);
        Assert.NotEqual(first.PublicIp, second.PublicIp);
        Assert.NotEqual(first.AllocationId, second.AllocationId);
        Assert.StartsWith("eipalloc-", first.AllocationId);
        Assert.Equal("amazon", first.PublicIpv4Pool);
        Assert.Equal(DomainType.Vpc, first.Domain);
        Assert.Equal("us-east-1", first.NetworkBorderGroup);
        var state = h.Account.ElasticIps[first.AllocationId];
        Assert.Equal(IPAddress.Parse(first.PublicIp), state.PublicIp);
        Assert.Null(state.PublicIpv4Pool);
        Assert.DoesNotContain(h.World.Hosts.Values, host => host.Addresses.Contains(state.PublicIp));
        var described = await h.Client.DescribeAddressesAsync(
            new DescribeAddressesRequest { AllocationIds = [first.AllocationId] }
        );
        Assert.Equal(first.PublicIp, described.Addresses.Single().PublicIp);
    }

    [Fact]
    public async Task AllocateAddress_from_a_byoip_pool_takes_the_next_free_address_of_the_range()
    {
        await using var h = await StartAsync();
        // The pool can be named by the name the topology gave its Elastic IPs or by the id EC2 derives for the range.
        var fromNamedPool = await h.Client.AllocateAddressAsync(
            new AllocateAddressRequest { Domain = DomainType.Vpc, PublicIpv4Pool = ByoipPoolName }
        );
        Assert.Equal("127.100.0.0", fromNamedPool.PublicIp);
        Assert.Equal(ByoipPoolName, fromNamedPool.PublicIpv4Pool);

        var specific = await h.Client.AllocateAddressAsync(
            new AllocateAddressRequest
            {
                Domain = DomainType.Vpc,
                PublicIpv4Pool = ByoipPoolName,
                Address = "127.100.0.77",
            }
        );
        Assert.Equal("127.100.0.77", specific.PublicIp);

        // The advertised range has no Elastic IP yet: its pool is known by the id derived from the range.
        var advertisedPool = CutoverEngine.Sandbox.Ec2.Ec2Identities.PoolIdOf(
            h.Account.ByoipRanges[AdvertisedCidr].Range
        );
        Assert.Matches("^ipv4pool-ec2-[0-9a-f]{17}$", advertisedPool);
        var fromAdvertised = await h.Client.AllocateAddressAsync(
            new AllocateAddressRequest { Domain = DomainType.Vpc, PublicIpv4Pool = advertisedPool }
        );
        Assert.Equal("127.101.0.0", fromAdvertised.PublicIp);
        Assert.Equal(advertisedPool, fromAdvertised.PublicIpv4Pool);
        Assert.Equal(advertisedPool, h.Account.ElasticIps[fromAdvertised.AllocationId].PublicIpv4Pool);

        await Ec2Assert.FailsAsync(
            "InvalidPublicIpv4PoolID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AllocateAddressAsync(
                    new AllocateAddressRequest
                    {
                        Domain = DomainType.Vpc,
                        PublicIpv4Pool = "ipv4pool-ec2-00000000000000000",
                    }
                )
        );
        await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AllocateAddressAsync(
                    new AllocateAddressRequest
                    {
                        Domain = DomainType.Vpc,
                        PublicIpv4Pool = ByoipPoolName,
                        Address = ByoipEipIp,
                    }
                )
        );
        await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AllocateAddressAsync(
                    new AllocateAddressRequest
                    {
                        Domain = DomainType.Vpc,
                        PublicIpv4Pool = ByoipPoolName,
                        Address = "127.102.0.1",
                    }
                )
        );
    }

    [Fact]
    public async Task AssociateAddress_routes_the_address_to_the_instances_host_and_is_idempotent()
    {
        await using var h = await StartAsync();
        Assert.Null(h.OwnerOf(FreeEipIp));

        var first = await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = FreeEip, InstanceId = Instance1 }
        );
        Assert.StartsWith("eipassoc-", first.AssociationId);
        Assert.Equal(AwsHost1, h.OwnerOf(FreeEipIp));
        Assert.Equal(Instance1, h.Account.ElasticIps[FreeEip].InstanceId);

        var again = await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = FreeEip, InstanceId = Instance1 }
        );
        Assert.Equal(first.AssociationId, again.AssociationId);

        var described = (
            await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [FreeEip] })
        ).Addresses.Single();
        Assert.Equal(Instance1, described.InstanceId);
        Assert.Equal(first.AssociationId, described.AssociationId);
    }

    [Fact]
    public async Task AssociateAddress_moves_an_associated_address_only_when_reassociation_is_allowed()
    {
        await using var h = await StartAsync();
        var before = h.Account.ElasticIps[AssociatedEip].AssociationId;
        Assert.Equal(AwsHost2, h.OwnerOf(AssociatedEipIp));

        var e = await Ec2Assert.FailsAsync(
            "Resource.AlreadyAssociated",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AssociateAddressAsync(
                    new AssociateAddressRequest { AllocationId = AssociatedEip, InstanceId = Instance1 }
                )
        );
        Assert.Contains(AssociatedEip, e.Message);
        Assert.Equal(AwsHost2, h.OwnerOf(AssociatedEipIp));
        Assert.Equal(before, h.Account.ElasticIps[AssociatedEip].AssociationId);

        var moved = await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest
            {
                AllocationId = AssociatedEip,
                InstanceId = Instance1,
                AllowReassociation = true,
            }
        );
        Assert.NotEqual(before, moved.AssociationId);
        Assert.Equal(AwsHost1, h.OwnerOf(AssociatedEipIp));
    }

    [Fact]
    public async Task AssociateAddress_accepts_the_instances_network_interface()
    {
        await using var h = await StartAsync();
        var eni = (
            await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AssociatedEip] })
        )
            .Addresses[0]
            .NetworkInterfaceId;
        // The ENI of instance 2; move the free address there through it.
        var result = await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = FreeEip, NetworkInterfaceId = eni }
        );
        Assert.Equal(Instance2, h.Account.ElasticIps[FreeEip].InstanceId);
        Assert.Equal(AwsHost2, h.OwnerOf(FreeEipIp));
        Assert.Equal(result.AssociationId, h.Account.ElasticIps[FreeEip].AssociationId);
        await Ec2Assert.FailsAsync(
            "InvalidNetworkInterfaceID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AssociateAddressAsync(
                    new AssociateAddressRequest { AllocationId = FreeEip, NetworkInterfaceId = "eni-00000000000000000" }
                )
        );
    }

    [Fact]
    public async Task AssociateAddress_refuses_unknown_instances_and_addresses()
    {
        await using var h = await StartAsync();

        var e = await Ec2Assert.FailsAsync(
            "InvalidInstanceID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AssociateAddressAsync(
                    new AssociateAddressRequest { AllocationId = FreeEip, InstanceId = "i-00000000000000000" }
                )
        );
        Assert.Contains("i-00000000000000000", e.Message);
        await Ec2Assert.FailsAsync(
            "InvalidAllocationID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AssociateAddressAsync(
                    new AssociateAddressRequest { AllocationId = OtherAccountEip, InstanceId = Instance1 }
                )
        );
        await Ec2Assert.FailsAsync(
            "MissingParameter",
            HttpStatusCode.BadRequest,
            () => h.Client.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = FreeEip })
        );
        Assert.Null(h.Account.ElasticIps[FreeEip].InstanceId);
    }

    [Fact]
    public async Task AssociateAddress_of_a_byoip_address_reaches_aws_only_once_the_range_is_advertised_and_propagated()
    {
        await using var h = await StartAsync();
        Assert.Equal(DcHostId, h.OwnerOf(ByoipEipIp));

        await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = ByoipEip, InstanceId = Instance1 }
        );
        Assert.Equal(DcHostId, h.OwnerOf(ByoipEipIp)); // the data centre still announces the range

        var advertised = await h.Client.AdvertiseByoipCidrAsync(
            new AdvertiseByoipCidrRequest { Cidr = ByoipRangeCidr }
        );
        Assert.Equal("pending-advertising", advertised.ByoipCidr.State.Value);
        Assert.Equal(DcHostId, h.OwnerOf(ByoipEipIp)); // BGP has not converged yet

        h.Clock.Advance(TimeSpan.FromSeconds(h.World.Settings.ByoipPropagationSeconds));
        Assert.Equal(AwsHost1, h.OwnerOf(ByoipEipIp));
    }

    [Fact]
    public async Task DisassociateAddress_ends_the_association_and_repeating_it_is_harmless()
    {
        await using var h = await StartAsync();
        var associationId = h.Account.ElasticIps[AssociatedEip].AssociationId!;

        await h.Client.DisassociateAddressAsync(new DisassociateAddressRequest { AssociationId = associationId });

        Assert.Null(h.OwnerOf(AssociatedEipIp));
        Assert.Null(h.Account.ElasticIps[AssociatedEip].InstanceId);
        var described = (
            await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AssociatedEip] })
        ).Addresses.Single();
        Assert.Null(described.AssociationId);
        Assert.Null(described.InstanceId);
        Assert.Empty(
            (
                await h.Client.DescribeAddressesAsync(
                    new DescribeAddressesRequest { Filters = [F("association-id", associationId)] }
                )
            ).Addresses
                ?? []
        );

        // A retry of the same call (say after a timeout) succeeds and changes nothing.
        await h.Client.DisassociateAddressAsync(new DisassociateAddressRequest { AssociationId = associationId });
        Assert.Null(h.Account.ElasticIps[AssociatedEip].InstanceId);

        var e = await Ec2Assert.FailsAsync(
            "InvalidAssociationID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DisassociateAddressAsync(
                    new DisassociateAddressRequest { AssociationId = "eipassoc-0000000000000dead" }
                )
        );
        Assert.Contains("eipassoc-0000000000000dead", e.Message);
    }

    [Fact]
    public async Task ReleaseAddress_refuses_an_associated_address_and_frees_a_disassociated_one()
    {
        await using var h = await StartAsync();

        await Ec2Assert.FailsAsync(
            "InvalidIPAddress.InUse",
            HttpStatusCode.BadRequest,
            () => h.Client.ReleaseAddressAsync(new ReleaseAddressRequest { AllocationId = AssociatedEip })
        );
        await h.Client.ReleaseAddressAsync(new ReleaseAddressRequest { AllocationId = FreeEip });

        Assert.False(h.Account.ElasticIps.ContainsKey(FreeEip));
        await Ec2Assert.FailsAsync(
            "InvalidAllocationID.NotFound",
            HttpStatusCode.BadRequest,
            () => h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [FreeEip] })
        );
    }
}
