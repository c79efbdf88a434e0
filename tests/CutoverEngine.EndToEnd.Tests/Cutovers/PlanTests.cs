using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>The plan reads live state, warns with numbers, and changes nothing.</summary>
public sealed class PlanTests
{
    [Fact]
    public async Task The_plan_lists_changes_and_warnings_and_makes_no_mutating_call()
    {
        await using var h = await CutoverHarness.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCutoverEngine(h.Configuration());
        await using var provider = services.BuildServiceProvider();
        var planner = provider.GetRequiredService<CutoverPlanner>();

        var plans = new Dictionary<string, CutoverPlan>();
        foreach (var e in h.Inventory.Environments)
            plans[e.Id] = await planner.PlanAsync(e, CancellationToken.None);

        var acme = plans["acme-stg"];
        Assert.Contains("UPSERT mta1.stg.acme-mail.example A 127.10.1.11 -> 127.20.1.11 (TTL 60)", acme.Changes);
        Assert.Contains(
            acme.Changes,
            c => c.StartsWith("ASSOCIATE eipalloc-", StringComparison.Ordinal) && c.Contains("127.20.1.11")
        );
        Assert.Contains(
            acme.Observations,
            o => o.StartsWith("old MTA 127.10.1.11: mta1.stg.acme-mail.example ESMTP", StringComparison.Ordinal)
        );
        Assert.DoesNotContain(acme.Warnings, w => w.Code is "high-ttl" or "drift" or "old-mta-silent" or "spf");

        var hooli = plans["hooli-dev"];
        var ttl = Assert.Single(hooli.Warnings, w => w.Code == "high-ttl");
        Assert.Contains("TTL 3600 s", ttl.Message);
        Assert.Contains(hooli.Changes, c => c.StartsWith("ADVERTISE 127.30.12.0/24", StringComparison.Ordinal));

        foreach (var account in h.Sandbox.Topology.Accounts.Select(a => a.Id))
        foreach (
            var op in new[]
            {
                ("route53", "ChangeResourceRecordSets"),
                ("ec2", "AssociateAddress"),
                ("ec2", "ModifyAddressAttribute"),
                ("ec2", "AdvertiseByoipCidr"),
            }
        )
            Assert.Equal(
                0,
                h.Sandbox.Metrics.For(account, op.Item1, op.Item2).Accepted
                    + h.Sandbox.Metrics.For(account, op.Item1, op.Item2).Refused
            );
        Assert.All(h.Sandbox.SendingControl.Environments.Values, e => Assert.Empty(e.Status().Pauses));
    }

    [Fact]
    public async Task The_plan_of_a_range_group_shows_the_group_and_that_the_data_centre_announces_its_range()
    {
        await using var h = await CutoverHarness.StartAsync(sharedRange: true);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCutoverEngine(h.Configuration());
        await using var provider = services.BuildServiceProvider();
        var planner = provider.GetRequiredService<CutoverPlanner>();
        var move = h.Inventory.Select(["globex-stg", "umbrella-dev"]);

        var umbrella = await planner.PlanAsync(move[1], move, CancellationToken.None);

        var group = Assert.IsType<PlannedRangeGroup>(umbrella.RangeGroup);
        Assert.Equal("127.30.4.0/24", group.Range);
        Assert.Equal(["globex-stg", "umbrella-dev"], group.Environments);
        Assert.StartsWith("the data centre", group.AnnouncedBy, StringComparison.Ordinal);
        Assert.Contains(
            "BYOIP range 127.30.4.0/24 is provisioned: announced by the data centre",
            string.Join("\n", umbrella.Observations)
        );
        Assert.Contains("range group globex-stg-umbrella-dev with globex-stg (Globex Corp)", umbrella.Summary);
        Assert.StartsWith(
            "ONE CUTOVER for range group globex-stg-umbrella-dev",
            umbrella.Changes[0],
            StringComparison.Ordinal
        );
        Assert.Contains(umbrella.Changes, c => c.StartsWith("ADVERTISE 127.30.4.0/24", StringComparison.Ordinal));
        Assert.Equal(0, h.Sandbox.Metrics.For("222222222222", "ec2", "AdvertiseByoipCidr").Accepted);
    }
}
