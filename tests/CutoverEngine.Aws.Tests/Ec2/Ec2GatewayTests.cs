using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Tests.Support;

namespace CutoverEngine.Aws.Tests.Ec2;

/// <summary>The EC2 gateway over the SDK client against a stub EC2.</summary>
public sealed class Ec2GatewayTests
{
    [Fact]
    public async Task Sdk_retries_are_off_so_each_attempt_is_one_request()
    {
        var aws = new FakeAws();
        aws.FailNext(
            "DescribeAddresses",
            2,
            () => StubHandler.Ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.")
        );
        using var rig = new AwsRig(aws.Handler);

        var addresses = await rig.Ec2.DescribeAddressesAsync(AwsRig.Account);

        Assert.Equal(2, addresses.Count);
        Assert.Equal(3, aws.CountOf("DescribeAddresses"));
        var attempts = rig.AttemptsOf("DescribeAddresses");
        Assert.Equal(
            [AwsAttemptOutcome.Retrying, AwsAttemptOutcome.Retrying, AwsAttemptOutcome.Succeeded],
            attempts.Select(a => a.Outcome)
        );
        Assert.Equal(["RequestLimitExceeded", "RequestLimitExceeded", null], attempts.Select(a => a.ErrorCode));
        Assert.All(attempts, a => Assert.NotNull(a.RequestId));
        var config = rig.Ec2Clients.ConfigFor(rig.Options.Accounts[0]);
        Assert.Equal((0, 0), (config.MaxErrorRetry, config.MaxStaleConnectionRetries));
    }

    [Theory]
    [InlineData(400, "InvalidAllocationID.NotFound")]
    [InlineData(403, "UnauthorizedOperation")]
    [InlineData(401, "AuthFailure")]
    [InlineData(400, "InvalidParameterValue")]
    public async Task Client_errors_are_not_retried(int status, string code)
    {
        var aws = new FakeAws();
        aws.FailNext("DescribeAddresses", 10, () => StubHandler.Ec2Error(status, code, requestId: "req-ec2"));
        using var rig = new AwsRig(aws.Handler);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
            rig.Ec2.DescribeAddressesAsync(AwsRig.Account, ["eipalloc-9"])
        );

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(status, ex.HttpStatus);
        Assert.Equal("req-ec2", ex.RequestId);
        Assert.Equal(1, ex.Attempts);
        Assert.Equal(1, aws.CountOf("DescribeAddresses"));
    }

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(503, "Unavailable")]
    public async Task Server_errors_are_retried(int status, string code)
    {
        var aws = new FakeAws();
        aws.FailNext("AssociateAddress", 1, () => StubHandler.Ec2Error(status, code));
        using var rig = new AwsRig(aws.Handler);

        var result = await rig.Ec2.AssociateAsync(AwsRig.Account, "eipalloc-2", AddressTarget.Instance("i-new"));

        Assert.False(result.AlreadyInPlace);
        Assert.Equal(2, aws.CountOf("AssociateAddress"));
        Assert.Equal("i-new", aws.Addresses["eipalloc-2"].InstanceId);
    }

    [Fact]
    public async Task Dropped_connection_is_retried()
    {
        var aws = new FakeAws();
        aws.FailNext(
            "DescribeByoipCidrs",
            1,
            () => throw new HttpRequestException("reset", new IOException("Connection reset by peer"))
        );
        using var rig = new AwsRig(aws.Handler);

        var ranges = await rig.Ec2.DescribeRangesAsync(AwsRig.Account);

        Assert.Equal(2, ranges.Count);
        Assert.Equal("ConnectionFailed", rig.AttemptsOf("DescribeByoipCidrs")[0].ErrorCode);
    }

    [Fact]
    public async Task Association_already_in_place_is_a_no_op_that_says_so()
    {
        var aws = new FakeAws();
        using var rig = new AwsRig(aws.Handler);

        var result = await rig.Ec2.AssociateAsync(AwsRig.Account, "eipalloc-1", AddressTarget.Instance("i-old"));

        Assert.True(result.AlreadyInPlace);
        Assert.Equal("eipassoc-1", result.AssociationId);
        Assert.Equal(0, aws.CountOf("AssociateAddress"));
        var record = Assert.Single(rig.AttemptsOf("AssociateAddress"));
        Assert.Equal(AwsAttemptOutcome.AlreadyInPlace, record.Outcome);
        Assert.Contains("already associated", record.Note);
    }

    [Fact]
    public async Task Association_moves_an_address_from_its_old_host()
    {
        var aws = new FakeAws();
        using var rig = new AwsRig(aws.Handler);

        var result = await rig.Ec2.AssociateAsync(AwsRig.Account, "eipalloc-1", AddressTarget.Instance("i-new"));

        Assert.False(result.AlreadyInPlace);
        Assert.Equal("i-new", aws.Addresses["eipalloc-1"].InstanceId);
        Assert.Contains(
            "AllowReassociation=true",
            aws.Handler.Requests.Single(r => r.Ec2Action == "AssociateAddress").Body
        );
    }

    [Fact]
    public async Task Disassociating_a_free_address_is_a_no_op()
    {
        var aws = new FakeAws();
        using var rig = new AwsRig(aws.Handler);

        var result = await rig.Ec2.DisassociateAsync(AwsRig.Account, "eipalloc-2");

        Assert.True(result.AlreadyInPlace);
        Assert.Equal(0, aws.CountOf("DisassociateAddress"));
    }

    [Fact]
    public async Task Range_already_advertised_is_a_no_op_that_says_so()
    {
        var aws = new FakeAws();
        using var rig = new AwsRig(aws.Handler);

        var result = await rig.Ec2.AdvertiseAsync(AwsRig.Account, "192.0.2.0/24");

        Assert.True(result.AlreadyInPlace);
        Assert.Equal("advertised", result.Range.State);
        Assert.Equal(0, aws.CountOf("AdvertiseByoipCidr"));
        Assert.Equal(AwsAttemptOutcome.AlreadyInPlace, Assert.Single(rig.AttemptsOf("AdvertiseByoipCidr")).Outcome);
    }

    [Fact]
    public async Task Advertising_a_provisioned_range_starts_advertising()
    {
        var aws = new FakeAws();
        using var rig = new AwsRig(aws.Handler);

        var result = await rig.Ec2.AdvertiseAsync(AwsRig.Account, "203.0.113.0/24");

        Assert.False(result.AlreadyInPlace);
        Assert.Equal("pending-advertising", result.Range.State);
        Assert.NotNull(result.RequestId);
    }

    [Fact]
    public async Task Advertising_an_unknown_range_names_the_ranges_there_are()
    {
        var aws = new FakeAws();
        using var rig = new AwsRig(aws.Handler);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            rig.Ec2.AdvertiseAsync(AwsRig.Account, "10.9.9.0/24")
        );

        Assert.Contains("203.0.113.0/24 provisioned", ex.Message);
        Assert.Equal(0, aws.CountOf("AdvertiseByoipCidr"));
    }

    [Fact]
    public async Task Reverse_dns_already_set_is_a_no_op_and_otherwise_is_set()
    {
        var aws = new FakeAws();
        aws.Addresses["eipalloc-1"].Ptr = "mta1.acme.example.";
        using var rig = new AwsRig(aws.Handler);

        var same = await rig.Ec2.SetReverseDnsAsync(AwsRig.Account, "eipalloc-1", "mta1.acme.example");
        var changed = await rig.Ec2.SetReverseDnsAsync(AwsRig.Account, "eipalloc-2", "mta2.acme.example");

        Assert.True(same.AlreadyInPlace);
        Assert.False(changed.AlreadyInPlace);
        Assert.Equal("mta2.acme.example", changed.ReverseDns.PendingValue);
        Assert.Equal(1, aws.CountOf("ModifyAddressAttribute"));
    }
}
