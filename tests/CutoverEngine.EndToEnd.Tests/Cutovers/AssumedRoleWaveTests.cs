using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Planning;
using CutoverEngine.Sandbox.Topology;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>
/// Waves over two accounts that the engine reaches only through the role each account declares, with the first
/// account's key as its one set of base credentials (as an instance role would be on AWS).
/// </summary>
public sealed class AssumedRoleWaveTests
{
    /// <summary>Settings: every account signs with account 0's key and the role of <paramref
    /// name="roleAccount"/>(i).</summary>
    static void ThroughRoles(CutoverHarness h, Func<int, int> roleAccount) =>
        h.EditSettings = s =>
        {
            var accounts = h.Sandbox.Topology.Accounts;
            for (var i = 0; i < accounts.Count; i++)
            {
                s[$"Aws:Accounts:{i}:AccessKeyId"] = accounts[0].AccessKeyId;
                s[$"Aws:Accounts:{i}:SecretAccessKey"] = accounts[0].SecretAccessKey;
                s[$"Aws:Accounts:{i}:RoleArn"] =
                    $"arn:aws:iam::{accounts[roleAccount(i)].Id}:role/{TopologyGenerator.EngineRoleName}";
                s[$"Aws:Accounts:{i}:ExternalId"] = TopologyGenerator.EngineRoleExternalId;
            }
        };

    /// <summary>One plain Elastic-IP environment (not designed to fail) of each account.</summary>
    static string[] OnePerAccount(CutoverHarness h) =>
        [
            .. h.Sandbox.Topology.Accounts.Select(a =>
                h.Sandbox.Topology.Environments.First(e =>
                    e.Account == a.Id && e.Note is null && e.IpStrategy == "elastic-ip"
                ).Id
            ),
        ];

    [Fact]
    public async Task A_wave_over_two_accounts_through_roles_completes_while_keys_expire_mid_wave_with_no_call_refused()
    {
        var ttl = TimeSpan.FromSeconds(2);
        // INSYNC alone outlasts the keys: the wave cannot finish inside one key's life, at any speed.
        await using var h = await CutoverHarness.StartAsync(
            credentialTtl: ttl,
            topology: t => t.Settings.InsyncDelaySeconds = 3
        );
        ThroughRoles(h, i => i);
        var environments = OnePerAccount(h);
        var started = DateTimeOffset.UtcNow;

        var results = await h.RunAsync(environments);

        Assert.All(results, r => Assert.True(r.Outcome == "completed", $"{r.EnvironmentId}: {r.RollbackCause}"));
        var elapsed = DateTimeOffset.UtcNow - started;
        Assert.True(
            elapsed > ttl,
            $"the wave took {elapsed.TotalSeconds:0.0} s: too short for keys of {ttl.TotalSeconds} s to lapse in it"
        );
        // Two accounts' first keys, then at least one replacement each while the wave ran.
        Assert.True(
            h.Sandbox.World.Credentials.SessionsIssued >= 4,
            $"{h.Sandbox.World.Credentials.SessionsIssued} sessions issued"
        );
        foreach (var account in h.Sandbox.Topology.Accounts.Select(a => a.Id))
        foreach (var service in new[] { "route53", "ec2", "sts" })
            Assert.True(
                h.Sandbox.Metrics.Total(service, c => c.Refused, account) == 0,
                $"{service} refused a call of {account}"
            );
    }

    [Fact]
    public async Task A_role_landing_in_the_other_account_stops_before_any_pause_naming_both_accounts()
    {
        await using var h = await CutoverHarness.StartAsync();
        ThroughRoles(h, i => 1 - i);
        var environment = OnePerAccount(h)[0];
        var expected = h.Sandbox.Topology.Accounts[0].Id;
        var actual = h.Sandbox.Topology.Accounts[1].Id;

        var result = Assert.Single(await h.RunAsync(environment));

        Assert.Equal("failed", result.Outcome);
        Assert.Contains($"AWS account {expected} act in account {actual}", result.RollbackCause);
        Assert.Empty(h.Sandbox.SendingControl.Environment(environment).Status().Pauses);
        foreach (var operation in new[] { "ChangeResourceRecordSets", "ListResourceRecordSets" })
            Assert.Equal(
                0,
                h.Sandbox.Metrics.For(actual, "route53", operation).Accepted
                    + h.Sandbox.Metrics.For(expected, "route53", operation).Accepted
            );
        Assert.Equal(0, h.Sandbox.Metrics.Total("ec2", c => c.Accepted));
        var journal = await h.Engine!.Journal.ReadAsync(new JournalQuery { Environment = environment });
        var mismatch = Assert.Single(
            journal,
            e => e.Event == CutoverEngine.Engine.Audit.Events.IdentityMismatchPayload.Event
        );
        Assert.Contains(expected, mismatch.Payload);
        Assert.Contains(actual, mismatch.Payload);
        Assert.DoesNotContain(journal, e => e.Event == "step-started" && e.Step == "pause-sending");
    }

    [Fact]
    public async Task Plan_of_an_account_whose_role_lands_elsewhere_warns_identity_mismatch_and_reads_nothing_else()
    {
        await using var h = await CutoverHarness.StartAsync();
        ThroughRoles(h, i => 1 - i);
        var engine = await h.StartEngineAsync();
        var planner = engine.Services.GetRequiredService<CutoverPlanner>();
        var environment = h.Inventory.Select([OnePerAccount(h)[0]])[0];

        var plan = await planner.PlanAsync(environment, CancellationToken.None);

        var warning = Assert.Single(plan.Warnings);
        Assert.Equal(CutoverEngine.Engine.Planning.CutoverPlanner.IdentityMismatchCode, warning.Code);
        Assert.Contains(h.Sandbox.Topology.Accounts[1].Id, warning.Message);
        Assert.Equal(
            0,
            h.Sandbox.Metrics.Total("route53", c => c.Accepted) + h.Sandbox.Metrics.Total("ec2", c => c.Accepted)
        );
    }
}
