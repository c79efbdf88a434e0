using System.Text.Json.Nodes;
using CutoverEngine.Cli.Commands;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.EndToEnd.Tests.Cli;

/// <summary>`cutover doctor` against the sandbox: shipped rehearsal settings pass; a missing permission and a
/// mismatched account fail.</summary>
public sealed class DoctorCommandTests
{
    static FileInfo Policy => new(Path.Combine(CutoverHarness.RepoRoot(), "infra", "aws", "iam-policy.json"));

    /// <summary>infra/rehearsal/appsettings.json as shipped, with only the endpoints moved to this test's
    /// sandbox.</summary>
    static JsonObject Rehearsal(CutoverHarness h)
    {
        var settings = JsonNode
            .Parse(File.ReadAllText(Path.Combine(CutoverHarness.RepoRoot(), "infra", "rehearsal", "appsettings.json")))!
            .AsObject();
        settings["Aws"]!["ServiceUrl"] = h.Sandbox.AwsEndpoint.ToString().TrimEnd('/');
        settings["Sending"]!["Verification"]!["AuthoritativeServerOverride"] = h.Sandbox.DnsEndpoint.ToString();
        return settings;
    }

    static async Task<(int Exit, string Table)> DoctorAsync(CutoverHarness h, JsonObject settings)
    {
        var file = Path.Combine(h.Directory, $"doctor-{Guid.NewGuid():n}.json");
        File.WriteAllText(file, settings.ToJsonString());
        var output = new StringWriter();
        var exit = await DoctorCommand.RunAsync(
            new FileInfo(file),
            new FileInfo(h.WriteInventoryFile()),
            Policy,
            output,
            CancellationToken.None
        );
        return (exit, output.ToString());
    }

    static IEnumerable<string> Rows(string table, string result) =>
        table.Split('\n').Where(l => l.Contains($"  {result} ", StringComparison.Ordinal));

    [Fact]
    public async Task The_shipped_rehearsal_settings_pass_with_every_account_zone_and_sending_control_checked()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 6);
        var (exit, table) = await DoctorAsync(h, Rehearsal(h));
        Assert.True(exit == 0, table);
        foreach (var account in h.Sandbox.Topology.Accounts)
            Assert.Contains(
                Rows(table, "ok"),
                r => r.StartsWith(account.Id, StringComparison.Ordinal) && r.Contains("identity matches")
            );
        foreach (var zone in h.Sandbox.Topology.Accounts.SelectMany(a => a.HostedZones))
            Assert.Contains(Rows(table, "ok"), r => r.Contains(zone.Name) && r.Contains("name servers answer"));
        foreach (var e in h.Sandbox.Topology.Environments)
            Assert.Contains(
                Rows(table, "ok"),
                r => r.StartsWith(e.Id + " ", StringComparison.Ordinal) && r.Contains("sending control answers")
            );
        var ec2Actions = DoctorCommand.PolicyActions(Policy).Count(a => a.StartsWith("ec2:", StringComparison.Ordinal));
        // Every EC2 action is asked about; where the dry run cannot decide (ids the inventory lacks) it says unknown,
        // not ok.
        var asked = Rows(table, "ok").Concat(Rows(table, "unknown")).Count(r => r.Contains("allowed: ec2:"));
        Assert.True(ec2Actions * h.Sandbox.Topology.Accounts.Count == asked, table);
        foreach (var action in new[] { "ec2:DescribeAddresses ", "ec2:DescribeByoipCidrs " })
            Assert.True(
                Rows(table, "ok").Count(r => r.Contains("allowed: " + action)) == h.Sandbox.Topology.Accounts.Count,
                table
            );
    }

    [Fact]
    public async Task A_role_without_a_permission_of_the_policy_is_reported_and_fails()
    {
        await using var h = await CutoverHarness.StartAsync(
            environments: 6,
            topology: t =>
                t.Accounts[1].Roles[0].AllowedActions = [
                    "ec2:Describe*",
                    "route53:*",
                    "ec2:AssociateAddress",
                    "ec2:DisassociateAddress",
                    "ec2:AdvertiseByoipCidr",
                    "ec2:WithdrawByoipCidr",
                ]
        );
        var (exit, table) = await DoctorAsync(h, Rehearsal(h));
        Assert.Equal(1, exit);
        var failed = Assert.Single(Rows(table, "FAIL"));
        Assert.StartsWith(h.Sandbox.Topology.Accounts[1].Id, failed);
        Assert.Contains("ec2:ModifyAddressAttribute", failed);
    }

    [Fact]
    public async Task Settings_whose_role_lands_in_another_account_fail_naming_both_accounts()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 6);
        var settings = Rehearsal(h);
        var (a, b) = (h.Sandbox.Topology.Accounts[0].Id, h.Sandbox.Topology.Accounts[1].Id);
        settings["Aws"]!["Accounts"]![0]!["RoleArn"] = $"arn:aws:iam::{b}:role/{TopologyGenerator.EngineRoleName}";
        var (exit, table) = await DoctorAsync(h, settings);
        Assert.Equal(1, exit);
        var failed = Assert.Single(Rows(table, "FAIL"));
        Assert.Contains($"AWS account {a} act in account {b}", failed);
    }
}
