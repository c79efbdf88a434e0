using System.Text.Json;
using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Tests.Support;

namespace CutoverEngine.Aws.Tests.Iam;

/// <summary>
/// infra/aws/iam-policy.json grants exactly the actions the gateways call: every public gateway method is driven
/// against a stub AWS, the actions seen on the wire are collected, and the policy must list those and no others.
/// </summary>
public sealed class IamPolicyTests
{
    private static HashSet<string> PolicyActions()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "iam-policy.json")));
        var actions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var statement in doc.RootElement.GetProperty("Statement").EnumerateArray())
        {
            Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
            var action = statement.GetProperty("Action");
            if (action.ValueKind == JsonValueKind.String)
                actions.Add(action.GetString()!);
            else
                foreach (var a in action.EnumerateArray())
                    actions.Add(a.GetString()!);
        }
        Assert.DoesNotContain(actions, a => a.Contains('*'));
        return actions;
    }

    /// <summary>Calls every method of every gateway interface (including the paths that lead to a change).</summary>
    private static async Task<HashSet<string>> ActionsTheGatewaysCall()
    {
        var aws = new FakeAws();
        using var rig = new AwsRig(aws.Handler);
        IRoute53Gateway route53 = rig.Route53;
        IElasticIpGateway eips = rig.Ec2;
        IByoipGateway byoip = rig.Ec2;
        const string a = AwsRig.Account;

        await route53.SubmitChangeBatchAsync(
            a,
            "Z1",
            new ChangeBatch([RecordSetChange.Upsert(ResourceRecordSet.A("mta2.acme.example", 60, "192.0.2.98"))])
        );
        await route53.GetChangeAsync(a, "C1");
        await route53.ListRecordSetsAsync(a, "Z1");
        await route53.FindRecordSetAsync(a, "Z1", "mta1.acme.example", "A");
        await eips.DescribeAddressesAsync(a);
        await eips.AssociateAsync(a, "eipalloc-2", AddressTarget.Instance("i-new"));
        await eips.DisassociateAsync(a, "eipalloc-1");
        await eips.GetReverseDnsAsync(a, "eipalloc-1");
        await eips.SetReverseDnsAsync(a, "eipalloc-1", "mta1.acme.example");
        await byoip.DescribeRangesAsync(a);
        await byoip.AdvertiseAsync(a, "203.0.113.0/24");
        await byoip.WithdrawAsync(a, "192.0.2.0/24");

        // Every interface method must have been driven above, so a new method cannot slip past this test.
        var driven = new[] { typeof(IRoute53Gateway), typeof(IElasticIpGateway), typeof(IByoipGateway) }.Sum(t =>
            t.GetMethods().Length
        );
        Assert.Equal(12, driven);

        return aws
            .Actions.Select(action =>
                (aws.Handler.Requests.Any(r => r.Ec2Action == action) ? "ec2:" : "route53:") + action
            )
            .ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Policy_grants_every_action_a_gateway_calls()
    {
        var called = await ActionsTheGatewaysCall();

        Assert.Empty(called.Except(PolicyActions()));
    }

    [Fact]
    public async Task Policy_grants_no_action_a_gateway_does_not_call()
    {
        var called = await ActionsTheGatewaysCall();

        Assert.Empty(PolicyActions().Except(called));
    }

    [Fact]
    public void Operation_catalog_matches_the_policy()
    {
        Assert.Equal(PolicyActions().Order(), AwsOperations.All.Select(o => o.IamAction).Order());
    }
}
