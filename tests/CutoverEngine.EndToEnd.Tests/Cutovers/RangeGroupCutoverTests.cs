using System.Net;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers.Steps;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>
/// A range group on the sandbox (issue 19): with <c>SharedRange</c> the generator puts umbrella-dev (Umbrella Corp)
/// inside globex-stg's range 127.30.4.0/24 (Globex Corp; MTAs .11 and .111), both in account 222222222222, and the
/// inventory declares them one rangeGroup. One cutover must move both.
/// </summary>
public sealed class RangeGroupCutoverTests
{
    const string Globex = "globex-stg",
        Umbrella = "umbrella-dev",
        Account = "222222222222",
        Range = "127.30.4.0/24";

    static async Task DrainAsync(CutoverHarness h, string environmentId)
    {
        var env = h.Sandbox.SendingControl.Environment(environmentId);
        env.GeneratorEnabled = false;
        await Eventually.UntilAsync(
            () => env.Status().QueueDepth,
            depth => depth == 0,
            TimeSpan.FromSeconds(90),
            $"{environmentId}'s queue to drain",
            depth => $"{depth} still queued"
        );
    }

    /// <summary>Every message produced reached exactly one MTA, and after the resume only hosts of the expected
    /// site.</summary>
    static void AssertMailMovedTo(CutoverHarness h, string environmentId, string hostPrefix)
    {
        var env = h.Sandbox.SendingControl.Environment(environmentId);
        var status = env.Status();
        Assert.Equal(status.Produced, status.Delivered);
        Assert.Equal(0, h.Sandbox.Mail.Duplicates);
        var pause = Assert.Single(status.Pauses);
        var after = env.Deliveries().Where(d => d.DeliveredAt > pause.ResumedAt).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, d => Assert.StartsWith(hostPrefix, d.HostId));
    }

    static string RangeState(CutoverHarness h)
    {
        lock (h.Sandbox.World.Gate)
            return h.Sandbox.World.Accounts[Account].ByoipRanges[Range].StateAt(h.Sandbox.World.Now);
    }

    [Fact]
    public async Task A_declared_group_of_two_customers_cuts_over_in_one_cutover_paused_before_the_advertisement()
    {
        await using var h = await CutoverHarness.StartAsync(sharedRange: true);
        var group = Assert.Single(h.Inventory.RangeGroups);
        Assert.Equal([Globex, Umbrella], group.EnvironmentIds);
        Assert.NotEqual(h.Inventory.FindEnvironment(Globex)!.Customer, h.Inventory.FindEnvironment(Umbrella)!.Customer);

        var results = (await h.RunAsync(Globex, Umbrella)).ToDictionary(r => r.EnvironmentId);

        Assert.All(results.Values, r => Assert.True(r.Outcome == "completed", r.RollbackCause));
        Assert.Equal(results[Globex].InstanceId, results[Umbrella].InstanceId);
        Assert.Equal(1, h.Sandbox.Metrics.For(Account, "ec2", "AdvertiseByoipCidr").Accepted);
        Assert.Equal("advertised", RangeState(h));
        Assert.Equal("aws-globex-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.30.4.11"))?.Id);
        Assert.Equal("aws-umbrella-dev-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.30.4.111"))?.Id);

        var journal = await h.Engine!.Journal.ReadAsync(new JournalQuery { Wave = "e2e" });
        var advertising = journal.First(e =>
            e.Event == StepStartedPayload.Event && e.Environment == Globex && e.Step == "repoint-ips"
        );
        var verified = journal.Last(e =>
            e.Event == StepCompletedPayload.Event && e.Environment == Globex && e.Step == "verify"
        );
        foreach (var id in new[] { Globex, Umbrella })
        {
            var downtime = results[id].Downtime;
            Assert.True(
                downtime.PausedAt < advertising.At,
                $"{id} paused at {downtime.PausedAt:O}, after the advertisement began at {advertising.At:O}"
            );
            Assert.True(
                downtime.ResumedAt > verified.At,
                $"{id} resumed at {downtime.ResumedAt:O}, before verification ended at {verified.At:O}"
            );
            Assert.NotEmpty(results[id].LastChecks);
            Assert.All(results[id].LastChecks, c => Assert.True(c.Passed, $"{id} {c.Check} {c.Subject}: {c.Observed}"));
            Assert.Contains(results[id].LastChecks, c => c.Check == "smtp-banner");
            Assert.Single(journal, e => e.Event == Downtime.Event && e.Environment == id);
        }
        Assert.Contains(
            results[Umbrella].LastChecks,
            c => c.Subject.Contains("127.30.4.111", StringComparison.Ordinal)
        );
        Assert.Single(journal, e => e.Event == RangeGroupCutoverStartedPayload.Event);

        await DrainAsync(h, Globex);
        await DrainAsync(h, Umbrella);
        AssertMailMovedTo(h, Globex, "aws-");
        AssertMailMovedTo(h, Umbrella, "aws-");
    }

    [Fact]
    public async Task A_group_whose_second_environment_fails_verification_rolls_back_both()
    {
        // Umbrella's new MTA greets with its EC2-internal name: the group's verification fails, and the whole group
        // goes back.
        await using var h = await CutoverHarness.StartAsync(
            sharedRange: true,
            topology: t => t.Hosts.First(x => x.Id == "aws-umbrella-dev-mta1").Name = "ip-10-0-9-111.ec2.internal"
        );

        var results = (await h.RunAsync(Globex, Umbrella)).ToDictionary(r => r.EnvironmentId);

        Assert.All(results.Values, r => Assert.Equal("rolled-back", r.Outcome));
        Assert.Contains("umbrella-dev: smtp-banner", results[Globex].RollbackCause);
        Assert.Equal("provisioned", RangeState(h));
        Assert.Equal("dc-globex-stg-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.30.4.11"))?.Id);
        Assert.Equal("dc-umbrella-dev-mta1", h.Sandbox.World.OwnerOf(IPAddress.Parse("127.30.4.111"))?.Id);
        Assert.False(h.Sandbox.SendingControl.Environment(Globex).Status().Paused);
        Assert.False(h.Sandbox.SendingControl.Environment(Umbrella).Status().Paused);
        var journal = await h.Engine!.Journal.ReadAsync(new JournalQuery { Wave = "e2e" });
        Assert.Single(journal, e => e.Event == IncidentPayload.Event && e.Environment == Globex);
        Assert.Single(journal, e => e.Event == IncidentPayload.Event && e.Environment == Umbrella);

        await DrainAsync(h, Globex);
        await DrainAsync(h, Umbrella);
        AssertMailMovedTo(h, Globex, "dc-");
        AssertMailMovedTo(h, Umbrella, "dc-");
    }
}
