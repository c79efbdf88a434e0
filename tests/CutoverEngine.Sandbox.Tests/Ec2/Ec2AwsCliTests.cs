using System.Text.Json;
using static CutoverEngine.Sandbox.Tests.Ec2.Ec2Harness;

namespace CutoverEngine.Sandbox.Tests.Ec2;

/// <summary>The real AWS CLI against the sandbox's EC2: every response must parse in botocore as it would from
/// AWS.</summary>
public sealed class Ec2AwsCliTests
{
    static async Task<(Ec2Harness Harness, AwsCli Cli)> StartAsync()
    {
        AwsCli.RequireInstalled();
        var h = await Ec2Harness.StartAsync();
        return (h, new AwsCli(h.Sandbox.AwsEndpoint, AccessKey, SecretKey));
    }

    static string[] Strings(JsonElement array, string property) =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];

    [Fact]
    public async Task Describe_associate_and_disassociate_addresses()
    {
        var (h, aws) = await StartAsync();
        await using var sandbox = h;

        var all = (await aws.Ec2Async("describe-addresses"))!.Value.GetProperty("Addresses");
        Assert.Equal([FreeEipIp, AssociatedEipIp, ByoipEipIp], Strings(all, "PublicIp"));
        var associated = all.EnumerateArray().Single(a => a.GetProperty("AllocationId").GetString() == AssociatedEip);
        Assert.Equal(Instance2, associated.GetProperty("InstanceId").GetString());
        Assert.Equal("vpc", associated.GetProperty("Domain").GetString());
        Assert.Equal(AccountId, associated.GetProperty("NetworkInterfaceOwnerId").GetString());

        var filtered = (
            await aws.Ec2Async("describe-addresses", "--filters", $"Name=instance-id,Values={Instance2}")
        )!.Value.GetProperty("Addresses");
        Assert.Equal([AssociatedEip], Strings(filtered, "AllocationId"));
        var byIp = (await aws.Ec2Async("describe-addresses", "--public-ips", FreeEipIp, ByoipEipIp))!.Value.GetProperty(
            "Addresses"
        );
        Assert.Equal([FreeEip, ByoipEip], Strings(byIp, "AllocationId"));

        var association = (
            await aws.Ec2Async("associate-address", "--allocation-id", FreeEip, "--instance-id", Instance1)
        )!
            .Value.GetProperty("AssociationId")
            .GetString();
        Assert.Equal(h.Account.ElasticIps[FreeEip].AssociationId, association);
        Assert.Equal(AwsHost1, h.OwnerOf(FreeEipIp));

        await aws.Ec2FailsAsync(
            "Resource.AlreadyAssociated",
            "associate-address",
            "--allocation-id",
            FreeEip,
            "--instance-id",
            Instance2,
            "--no-allow-reassociation"
        );

        var output = await aws.Ec2Async("disassociate-address", "--association-id", association!);
        Assert.Null(output); // DisassociateAddress has no output members: the CLI prints nothing
        Assert.Null(h.Account.ElasticIps[FreeEip].InstanceId);
        Assert.Null(h.OwnerOf(FreeEipIp));

        await aws.Ec2FailsAsync(
            "InvalidAllocationID.NotFound",
            "describe-addresses",
            "--allocation-ids",
            "eipalloc-0000000000000dead"
        );
        await aws.Ec2FailsAsync(
            "InvalidAssociationID.NotFound",
            "disassociate-address",
            "--association-id",
            "eipassoc-0000000000000dead"
        );
    }

    [Fact]
    public async Task Allocate_address()
    {
        var (h, aws) = await StartAsync();
        await using var sandbox = h;

        var allocated = (await aws.Ec2Async("allocate-address", "--domain", "vpc"))!.Value;
        var id = allocated.GetProperty("AllocationId").GetString()!;
        Assert.StartsWith("127.200.", allocated.GetProperty("PublicIp").GetString());
        Assert.Equal("vpc", allocated.GetProperty("Domain").GetString());
        Assert.True(h.Account.ElasticIps.ContainsKey(id));
    }

    [Fact]
    public async Task Modify_and_describe_the_reverse_dns_of_an_address()
    {
        var (h, aws) = await StartAsync();
        await using var sandbox = h;

        var modified = (
            await aws.Ec2Async(
                "modify-address-attribute",
                "--allocation-id",
                FreeEip,
                "--domain-name",
                "mta1." + ZoneName
            )
        )!.Value.GetProperty("Address");
        Assert.Equal(FreeEip, modified.GetProperty("AllocationId").GetString());
        Assert.Equal("mta1.ec2test.example.", modified.GetProperty("PtrRecord").GetString());
        Assert.Equal("mta1.ec2test.example.", h.Account.ElasticIps[FreeEip].ReverseDns);

        var described = (
            await aws.Ec2Async(
                "describe-addresses-attribute",
                "--allocation-ids",
                FreeEip,
                "--attribute",
                "domain-name"
            )
        )!.Value.GetProperty("Addresses");
        var item = described.EnumerateArray().Single();
        Assert.Equal(FreeEipIp, item.GetProperty("PublicIp").GetString());
        Assert.Equal("mta1.ec2test.example.", item.GetProperty("PtrRecord").GetString());

        var refusal = await aws.Ec2FailsAsync(
            "InvalidParameterValue",
            "modify-address-attribute",
            "--allocation-id",
            FreeEip,
            "--domain-name",
            "elsewhere." + ZoneName
        );
        Assert.Contains("127.9.9.9", refusal);
    }

    [Fact]
    public async Task Advertise_and_describe_byoip_cidrs()
    {
        var (h, aws) = await StartAsync();
        await using var sandbox = h;

        var advertised = (await aws.Ec2Async("advertise-byoip-cidr", "--cidr", ByoipRangeCidr))!.Value.GetProperty(
            "ByoipCidr"
        );
        Assert.Equal(ByoipRangeCidr, advertised.GetProperty("Cidr").GetString());
        Assert.Equal("pending-advertising", advertised.GetProperty("State").GetString());

        var ranges = (await aws.Ec2Async("describe-byoip-cidrs", "--max-results", "10"))!.Value.GetProperty(
            "ByoipCidrs"
        );
        Assert.Equal([ByoipRangeCidr, AdvertisedCidr], Strings(ranges, "Cidr"));
        Assert.Equal(["pending-advertising", "advertised"], Strings(ranges, "State"));

        h.Clock.Advance(TimeSpan.FromSeconds(h.World.Settings.ByoipPropagationSeconds));
        var firstPage = (await aws.Ec2Async("describe-byoip-cidrs", "--max-results", "1"))!.Value;
        Assert.Equal(["advertised"], Strings(firstPage.GetProperty("ByoipCidrs"), "State"));
        var token = firstPage.GetProperty("NextToken").GetString()!;
        var secondPage = (
            await aws.Ec2Async("describe-byoip-cidrs", "--max-results", "1", "--next-token", token)
        )!.Value;
        Assert.Equal([AdvertisedCidr], Strings(secondPage.GetProperty("ByoipCidrs"), "Cidr"));
        Assert.False(secondPage.TryGetProperty("NextToken", out _));

        await aws.Ec2FailsAsync("RequestLimitExceeded", "withdraw-byoip-cidr", "--cidr", ByoipRangeCidr);
    }
}
