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
        var address = (await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AssociatedEip] })).Addresses.Single();
        Assert.Equal(address.NetworkInterfaceId, eni.NetworkInterfaceId);
        Assert.Equal(address.PrivateIpAddress, eni.PrivateIpAddress);
        Assert.Null(instances.Single(i => i.InstanceId == Instance1).PublicIpAddress);
    }

    [Fact]
    public async Task DescribeInstances_filters_and_refuses_unknown_instances()
    {
        await using var h = await StartAsync();
        async Task<string[]> Ids(DescribeInstancesRequest request) =>
            [.. ((await h.Client.DescribeInstancesAsync(request)).Reservations ?? []).SelectMany(r => r.Instances).Select(i => i.InstanceId)];

        Assert.Equal([Instance1], await Ids(new() { InstanceIds = [Instance1] }));
        Assert.Equal([Instance2], await Ids(new() { Filters = [F("ip-address", AssociatedEipIp)] }));
        Assert.Equal([Instance1], await Ids(new() { Filters = [F("tag:Name", "mta1.aws.*")] }));
        Assert.Equal([Instance1, Instance2], await Ids(new() { Filters = [F("instance-state-name", "running")] }));
        Assert.Empty(await Ids(new() { Filters = [F("instance-state-name", "stopped")] }));

        var e = await Ec2Assert.FailsAsync("InvalidInstanceID.NotFound", HttpStatusCode.BadRequest,
            () => h.Client.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-00000000000000000"] }));
        Assert.Contains("i-00000000000000000", e.Message);
    }

    [Fact]
    public async Task A_second_address_on_an_instance_takes_a_secondary_private_address()
    {
        await using var h = await StartAsync();
        await h.Client.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = FreeEip, InstanceId = Instance2 });

        var eni = (await h.Client.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [F("attachment.instance-id", Instance2)] }))
            .NetworkInterfaces.Single();

        Assert.Equal(Instance2, eni.Attachment.InstanceId);
        Assert.Equal(AssociatedEipIp, eni.Association.PublicIp); // the earlier association keeps the primary address
        Assert.Equal(AssociatedEip, eni.Association.AllocationId);
        Assert.Equal(2, eni.PrivateIpAddresses.Count);
        var secondary = eni.PrivateIpAddresses.Single(p => p.Primary != true);
        Assert.Equal(FreeEipIp, secondary.Association.PublicIp);
        Assert.NotEqual(eni.PrivateIpAddress, secondary.PrivateIpAddress);
        var address = (await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [FreeEip] })).Addresses.Single();
        Assert.Equal(secondary.PrivateIpAddress, address.PrivateIpAddress);
        Assert.Equal(eni.NetworkInterfaceId, address.NetworkInterfaceId);
    }

    [Fact]
    public async Task DescribeNetworkInterfaces_by_id_and_filter()
    {
        await using var h = await StartAsync();
        var eni = (await h.Client.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AssociatedEip] })).Addresses.Single().NetworkInterfaceId;

        var byId = await h.Client.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [eni] });
        Assert.Equal(Instance2, byId.NetworkInterfaces.Single().Attachment.InstanceId);
        Assert.Equal(NetworkInterfaceStatus.InUse, byId.NetworkInterfaces.Single().Status);

        var byPublicIp = await h.Client.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [F("association.public-ip", AssociatedEipIp)] });
        Assert.Equal([eni], byPublicIp.NetworkInterfaces.Select(n => n.NetworkInterfaceId));

        var paged = await h.Client.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { MaxResults = 5 });
        Assert.Equal(2, paged.NetworkInterfaces.Count);
        Assert.Null(paged.NextToken);

        await Ec2Assert.FailsAsync("InvalidNetworkInterfaceID.NotFound", HttpStatusCode.BadRequest,
            () => h.Client.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = ["eni-00000000000000000"] }));
        await Ec2Assert.FailsAsync("InvalidParameterValue", HttpStatusCode.BadRequest,
            () => h.Client.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [F("flavour", "x")] }));
    }
}
