using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using static CutoverEngine.Sandbox.Tests.Ec2.Ec2Harness;

namespace CutoverEngine.Sandbox.Tests.Ec2;

public sealed class Ec2InstanceTests
{
    static Filter F(string name, params string[] values) => new() { Name = name, Values = [.. values] };

    [Fact]
    public async Task DescribeInstances_shows_running_instances_with_their_interface_and_public_address()
    {
        await using var h = await StartAsync();

        var result = await h.Client.DescribeInstancesAsync(new DescribeInstancesRequest());

        var instances = result.Reservations.SelectMany(r => r.Instances).ToList();
        Assert.Equal([Instance1, Instance2], instances.Select(i => i.InstanceId));
        Assert.All(result.Reservations, r => Assert.Equal(AccountId, r.OwnerId));
        var two = instances.Single(i => i.InstanceId == Instance2);
        Assert.Equal(InstanceStateName.Running, two.State.Name);
        Assert.Equal(16, two.State.Code);
        Assert.Equal(AssociatedEipIp, two.PublicIpAddress);
        Assert.Equal("mta2.aws.ec2test.example", two.Tags.Single(t => t.Key == "Name").Value);
        var eni = two.NetworkInterfaces.Single();
        Assert.Equal(two.PrivateIpAddress, eni.PrivateIpAddress);
        Assert.Equal(AssociatedEipIp, eni.Association.PublicIp);
        Assert.Equal(0, eni.Attachment.DeviceIndex);
        Assert.True(eni.PrivateIpAddresses.Single().Primary);
        var address = (
            await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AssociatedEip] })
        ).Addresses.Single();
        Assert.Equal(address.NetworkInterfaceId, eni.NetworkInterfaceId);
        Assert.Equal(address.PrivateIpAddress, eni.PrivateIpAddress);
        Assert.Null(instances.Single(i => i.InstanceId == Instance1).PublicIpAddress);
    }

    [Fact]
    public async Task DescribeInstances_filters_and_refuses_unknown_instances()
    {
        await using var h = await StartAsync();
        async Task<string[]> Ids(DescribeInstancesRequest request) =>
            [
                .. ((await h.Client.DescribeInstancesAsync(request)).Reservations ?? [])
                    .SelectMany(r => r.Instances)
                    .Select(i => i.InstanceId),
            ];

        Assert.Equal([Instance1], await Ids(new() { InstanceIds = [Instance1] }));
        Assert.Equal([Instance2], await Ids(new() { Filters = [F("ip-address", AssociatedEipIp)] }));
        Assert.Equal([Instance1], await Ids(new() { Filters = [F("tag:Name", "mta1.aws.*")] }));
        Assert.Equal([Instance1, Instance2], await Ids(new() { Filters = [F("instance-state-name", "running")] }));
        Assert.Empty(await Ids(new() { Filters = [F("instance-state-name", "stopped")] }));

        var e = await Ec2Assert.FailsAsync(
            "InvalidInstanceID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-00000000000000000"] })
        );
        Assert.Contains("i-00000000000000000", e.Message);
    }

    [Fact]
    public async Task Associating_an_address_to_an_instance_that_has_one_replaces_it()
    {
        await using var h = await StartAsync();
        var previous = h.Account.ElasticIps[AssociatedEip].AssociationId!;

        var result = await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest { AllocationId = FreeEip, InstanceId = Instance2 }
        );

        Assert.Equal(AwsHost2, h.OwnerOf(FreeEipIp));
        Assert.Null(h.OwnerOf(AssociatedEipIp));
        Assert.Null(h.Account.ElasticIps[AssociatedEip].InstanceId);
        Assert.True(h.Account.ElasticIps.ContainsKey(AssociatedEip)); // still allocated
        var eni = (
            await h.Client.DescribeNetworkInterfacesAsync(
                new DescribeNetworkInterfacesRequest { Filters = [F("attachment.instance-id", Instance2)] }
            )
        ).NetworkInterfaces.Single();
        Assert.Equal(FreeEipIp, eni.Association.PublicIp);
        Assert.Equal(result.AssociationId, eni.Association.AssociationId);
        Assert.Single(eni.PrivateIpAddresses);
        // The displaced association has ended: disassociating it again is a no-op.
        await h.Client.DisassociateAddressAsync(new DisassociateAddressRequest { AssociationId = previous });
        Assert.Equal(Instance2, h.Account.ElasticIps[FreeEip].InstanceId);
    }

    [Fact]
    public async Task AssociateAddress_accepts_only_the_instances_private_address()
    {
        await using var h = await StartAsync();
        var primary = (
            await h.Client.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [Instance1] })
        )
            .Reservations[0]
            .Instances[0]
            .PrivateIpAddress;

        await h.Client.AssociateAddressAsync(
            new AssociateAddressRequest
            {
                AllocationId = FreeEip,
                InstanceId = Instance1,
                PrivateIpAddress = primary,
            }
        );
        Assert.Equal(Instance1, h.Account.ElasticIps[FreeEip].InstanceId);
        var e = await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.AssociateAddressAsync(
                    new AssociateAddressRequest
                    {
                        AllocationId = ByoipEip,
                        InstanceId = Instance1,
                        PrivateIpAddress = "10.255.255.254",
                    }
                )
        );
        Assert.Contains(primary, e.Message);
    }

    [Fact]
    public async Task A_topology_with_two_addresses_on_one_instance_shows_the_second_on_a_secondary_private_address()
    {
        await using var h = await StartAsync(t =>
            t.Accounts[0].ElasticIps.Single(e => e.AllocationId == FreeEip).InstanceId = Instance2
        );

        var eni = (
            await h.Client.DescribeNetworkInterfacesAsync(
                new DescribeNetworkInterfacesRequest { Filters = [F("attachment.instance-id", Instance2)] }
            )
        ).NetworkInterfaces.Single();

        Assert.Equal(2, eni.PrivateIpAddresses.Count);
        var primary = eni.PrivateIpAddresses.Single(p => p.Primary == true);
        var secondary = eni.PrivateIpAddresses.Single(p => p.Primary != true);
        Assert.Equal(eni.PrivateIpAddress, primary.PrivateIpAddress);
        Assert.NotEqual(primary.PrivateIpAddress, secondary.PrivateIpAddress);
        var addresses = (
            await h.Client.DescribeAddressesAsync(
                new DescribeAddressesRequest { AllocationIds = [FreeEip, AssociatedEip] }
            )
        ).Addresses;
        // the topology's first association takes the primary address
        Assert.Equal(FreeEipIp, primary.Association.PublicIp);
        Assert.Equal(AssociatedEipIp, secondary.Association.PublicIp);
        foreach (var p in eni.PrivateIpAddresses)
            Assert.Equal(
                p.PrivateIpAddress,
                addresses.Single(a => a.PublicIp == p.Association.PublicIp).PrivateIpAddress
            );
    }

    [Fact]
    public async Task DescribeNetworkInterfaces_by_id_and_filter()
    {
        await using var h = await StartAsync();
        var eni = (
            await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AssociatedEip] })
        )
            .Addresses.Single()
            .NetworkInterfaceId;

        var byId = await h.Client.DescribeNetworkInterfacesAsync(
            new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [eni] }
        );
        Assert.Equal(Instance2, byId.NetworkInterfaces.Single().Attachment.InstanceId);
        Assert.Equal(NetworkInterfaceStatus.InUse, byId.NetworkInterfaces.Single().Status);

        var byPublicIp = await h.Client.DescribeNetworkInterfacesAsync(
            new DescribeNetworkInterfacesRequest { Filters = [F("association.public-ip", AssociatedEipIp)] }
        );
        Assert.Equal([eni], byPublicIp.NetworkInterfaces.Select(n => n.NetworkInterfaceId));

        var paged = await h.Client.DescribeNetworkInterfacesAsync(
            new DescribeNetworkInterfacesRequest { MaxResults = 5 }
        );
        Assert.Equal(2, paged.NetworkInterfaces.Count);
        Assert.Null(paged.NextToken);

        await Ec2Assert.FailsAsync(
            "InvalidNetworkInterfaceID.NotFound",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DescribeNetworkInterfacesAsync(
                    new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = ["eni-00000000000000000"] }
                )
        );
        await Ec2Assert.FailsAsync(
            "InvalidParameterValue",
            HttpStatusCode.BadRequest,
            () =>
                h.Client.DescribeNetworkInterfacesAsync(
                    new DescribeNetworkInterfacesRequest { Filters = [F("flavour", "x")] }
                )
        );
    }
}
