using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Tests.Support;

namespace CutoverEngine.Aws.Tests.Sandbox;

/// <summary>The EC2 gateway (AmazonEC2Client, SDK retries off) against the sandbox's EC2.</summary>
public sealed class Ec2SandboxTests
{
    private const string Attached = "eipalloc-0000000000000001";
    private const string Free = "eipalloc-0000000000000002";
    private const string OldInstance = "i-000000000000000a";
    private const string NewInstance = "i-000000000000000b";

    private static long Accepted(SandboxRun run, string operation) =>
        run.Host.Metrics.For(run.Account, "ec2", operation).Accepted;

    [Fact]
    public async Task Describes_the_accounts_addresses()
    {
        await using var run = await SandboxRun.StartAsync();

        var addresses = await run.Rig.Ec2.DescribeAddressesAsync(run.Account);

        var attached = Assert.Single(addresses, a => a.AllocationId == Attached);
        Assert.Equal(OldInstance, attached.InstanceId);
        Assert.True(attached.IsAssociated);
        Assert.False(Assert.Single(addresses, a => a.AllocationId == Free).IsAssociated);
    }

    [Fact]
    public async Task Moving_an_address_then_moving_it_again_is_one_change()
    {
        await using var run = await SandboxRun.StartAsync();
        var target = AddressTarget.Instance(NewInstance);

        var moved = await run.Rig.Ec2.AssociateAsync(run.Account, Attached, target);
        var again = await run.Rig.Ec2.AssociateAsync(run.Account, Attached, target);

        Assert.False(moved.AlreadyInPlace);
        Assert.NotNull(moved.RequestId);
        Assert.True(again.AlreadyInPlace);
        Assert.Equal(moved.AssociationId, again.AssociationId);
        Assert.Equal(1, Accepted(run, "AssociateAddress"));
        Assert.Equal(AwsAttemptOutcome.AlreadyInPlace, run.Rig.AttemptsOf("AssociateAddress")[^1].Outcome);
        var now = Assert.Single(await run.Rig.Ec2.DescribeAddressesAsync(run.Account, [Attached]));
        Assert.Equal(NewInstance, now.InstanceId);
    }

    [Fact]
    public async Task Disassociating_twice_is_one_change()
    {
        await using var run = await SandboxRun.StartAsync();

        var first = await run.Rig.Ec2.DisassociateAsync(run.Account, Attached);
        var second = await run.Rig.Ec2.DisassociateAsync(run.Account, Attached);

        Assert.False(first.AlreadyInPlace);
        Assert.True(second.AlreadyInPlace);
        Assert.Equal(1, Accepted(run, "DisassociateAddress"));
    }

    [Fact]
    public async Task Reverse_dns_is_set_once_the_a_record_exists_and_setting_it_again_is_a_no_op()
    {
        await using var run = await SandboxRun.StartAsync();
        var host = $"mta7.{SandboxWorlds.ZoneName}";
        var change = await run.Rig.Route53.SubmitChangeBatchAsync(
            run.Account,
            SandboxWorlds.ZoneId,
            new ChangeBatch([RecordSetChange.Upsert(ResourceRecordSet.A(host, 60, "127.20.0.11"))])
        );
        await run.Rig.Route53.InSyncAsync(run.Account, change, TimeSpan.FromSeconds(10));

        var set = await run.Rig.Ec2.SetReverseDnsAsync(run.Account, Attached, host);
        var again = await run.Rig.Ec2.SetReverseDnsAsync(run.Account, Attached, host);

        Assert.False(set.AlreadyInPlace);
        Assert.True(again.AlreadyInPlace);
        Assert.True((await run.Rig.Ec2.GetReverseDnsAsync(run.Account, Attached)).Names(host));
        Assert.Equal(1, Accepted(run, "ModifyAddressAttribute"));
    }

    [Fact]
    public async Task Reverse_dns_without_a_forward_record_is_refused_and_not_retried()
    {
        await using var run = await SandboxRun.StartAsync();

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
            run.Rig.Ec2.SetReverseDnsAsync(run.Account, Attached, $"nowhere.{SandboxWorlds.ZoneName}")
        );

        Assert.Equal("InvalidParameterValue", ex.ErrorCode);
        Assert.Equal(1, ex.Attempts);
        Assert.NotNull(ex.RequestId);
    }

    [Fact]
    public async Task Advertising_a_range_is_done_once_and_an_advertised_range_is_left_alone()
    {
        await using var run = await SandboxRun.StartAsync();

        var advertised = await run.Rig.Ec2.AdvertiseAsync(run.Account, "127.30.0.0/24");
        var again = await run.Rig.Ec2.AdvertiseAsync(run.Account, "127.30.0.0/24");
        var already = await run.Rig.Ec2.AdvertiseAsync(run.Account, "127.31.0.0/24");

        Assert.False(advertised.AlreadyInPlace);
        Assert.Contains(advertised.Range.State, new[] { "pending-advertising", "advertised" });
        Assert.True(again.AlreadyInPlace);
        Assert.True(already.AlreadyInPlace);
        Assert.Equal(1, Accepted(run, "AdvertiseByoipCidr"));
    }

    [Fact]
    public async Task Missing_allocation_is_not_retried()
    {
        await using var run = await SandboxRun.StartAsync();

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
            run.Rig.Ec2.DescribeAddressesAsync(run.Account, ["eipalloc-nosuch"])
        );

        Assert.Equal("InvalidAllocationID.NotFound", ex.ErrorCode);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task Wrong_secret_is_refused_and_not_retried()
    {
        await using var run = await SandboxRun.StartAsync();
        var accounts = SandboxWorlds.AccountOptions(run.Topology);
        accounts[0].SecretAccessKey = "not-the-secret";
        using var rig = new AwsRig(
            new SocketsHttpHandler(),
            run.Host.AwsEndpoint,
            accounts: accounts,
            realQuotas: true
        );

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => rig.Ec2.DescribeAddressesAsync(run.Account));

        Assert.Equal(403, ex.HttpStatus);
        Assert.Equal(1, ex.Attempts);
        Assert.Single(rig.Sink.Attempts);
    }

    [Fact]
    public async Task Describe_budget_keeps_a_burst_of_callers_from_being_throttled()
    {
        await using var run = await SandboxRun.StartAsync();

        // 150 describes at once: the sandbox's bucket holds 100 and refills 20/s, as EC2's does.
        var calls = Enumerable.Range(0, 150).Select(_ => run.Rig.Ec2.DescribeAddressesAsync(run.Account)).ToList();
        await Task.WhenAll(calls);

        Assert.Equal(0, run.Sandbox("ec2", c => c.Throttled));
        Assert.Equal(150, Accepted(run, "DescribeAddresses"));
    }

    [Fact]
    public async Task Without_the_limiter_request_limit_exceeded_is_retried_until_accepted()
    {
        await using var run = await SandboxRun.StartAsync(
            configure: o =>
            {
                o.Resilience.Retry.BaseDelay = TimeSpan.FromMilliseconds(200);
                o.Resilience.Retry.MaxDelay = TimeSpan.FromSeconds(2);
                o.Resilience.Retry.MaxRetryAttempts = 10;
            },
            realQuotas: false
        );

        var calls = Enumerable.Range(0, 130).Select(_ => run.Rig.Ec2.DescribeAddressesAsync(run.Account)).ToList();
        await Task.WhenAll(calls);

        var throttled = run.Sandbox("ec2", c => c.Throttled);
        Assert.True(throttled > 0, "the sandbox should have throttled some of the unpaced burst");
        var retried = run
            .Rig.AttemptsOf("DescribeAddresses")
            .Where(a => a.ErrorCode == "RequestLimitExceeded")
            .ToList();
        Assert.Equal(throttled, retried.Count);
        Assert.All(retried, a => Assert.Equal(503, a.HttpStatus));
        Assert.All(retried, a => Assert.Equal(AwsAttemptOutcome.Retrying, a.Outcome));
    }
}
