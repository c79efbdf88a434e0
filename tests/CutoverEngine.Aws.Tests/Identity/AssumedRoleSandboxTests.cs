using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Identity;
using CutoverEngine.Aws.Tests.Sandbox;
using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Aws.Tests.Identity;

/// <summary>
/// Accounts reached only through the role each sandbox account declares, with the first account's key as the base
/// credentials: the gateways sign with the role's temporary keys and assume it again before the keys lapse.
/// </summary>
public sealed class AssumedRoleSandboxTests
{
    static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    static string RoleOf(SandboxTopology t, int account) =>
        $"arn:aws:iam::{t.Accounts[account].Id}:role/{TopologyGenerator.EngineRoleName}";

    /// <summary>Every account's settings: the base key of account 0 and the role of <paramref
    /// name="roleAccount"/>(i).</summary>
    static Task<SandboxRun> StartAsync(Func<int, int> roleAccount, TimeSpan? ttl = null)
    {
        // Generated worlds declare the engine's role in every account, trusted by the first account's key.
        var topology = TopologyGenerator.Generate(
            new TopologyGeneratorOptions
            {
                Environments = 6,
                Settings = new TopologySettings
                {
                    Route53RequestsPerSecond = 10_000,
                    Ec2Describe = new() { Burst = 10_000, PerSecond = 10_000 },
                },
            }
        );
        return SandboxRun.StartAsync(
            topology,
            new SandboxRunOptions { CredentialTtl = ttl },
            o =>
            {
                for (var i = 0; i < o.Accounts.Count; i++)
                {
                    o.Accounts[i].AccessKeyId = topology.Accounts[0].AccessKeyId;
                    o.Accounts[i].SecretAccessKey = topology.Accounts[0].SecretAccessKey;
                    o.Accounts[i].RoleArn = RoleOf(topology, roleAccount(i));
                    o.Accounts[i].ExternalId = TopologyGenerator.EngineRoleExternalId;
                }
            }
        );
    }

    [Fact]
    public async Task Route53_and_ec2_calls_keep_succeeding_while_the_roles_keys_expire_and_are_replaced()
    {
        await using var run = await StartAsync(i => i, Ttl);
        var account = run.Topology.Accounts[1];
        var zone = account.HostedZones[0].Id;
        var until = DateTimeOffset.UtcNow + 4 * Ttl;
        var calls = 0;
        while (DateTimeOffset.UtcNow < until)
        {
            // Any refusal (ExpiredToken, RequestExpired) throws here and fails the test.
            Assert.NotEmpty(await run.Rig.Route53.ListRecordSetsAsync(account.Id, zone));
            Assert.Equal(account.ElasticIps.Count, (await run.Rig.Ec2.DescribeAddressesAsync(account.Id)).Count);
            calls += 2;
            await Task.Delay(100);
        }
        var credentials = Assert.IsType<AssumedRoleCredentials>(
            run.Rig.Credentials.GetCredentials(run.Rig.Options.GetAccount(account.Id))
        );
        // Keys live 2 s and are replaced after three quarters of that: at least four assumptions in 8 s.
        Assert.True(credentials.Assumptions >= 4, $"{credentials.Assumptions} assumptions over {calls} calls");
        // A call signed just before its keys were replaced can reach the sandbox after they lapsed: it is refused once
        // (ExpiredToken) and retried with the fresh keys, so no call fails; at most one such refusal per replacement.
        var refused =
            run.Sandbox("route53", c => c.Refused, account.Id) + run.Sandbox("ec2", c => c.Refused, account.Id);
        Assert.True(
            refused <= credentials.Assumptions,
            $"{refused} refusals for {credentials.Assumptions} assumptions"
        );
        Assert.Equal(calls / 2, run.Sandbox("route53", c => c.Accepted, account.Id));
    }

    [Fact]
    public async Task The_caller_identity_of_a_role_is_the_roles_account()
    {
        await using var run = await StartAsync(i => i);
        var identity = new StsCallerIdentity(
            Microsoft.Extensions.Options.Options.Create(run.Rig.Options),
            run.Rig.Credentials
        );
        var account = run.Topology.Accounts[1].Id;
        var caller = await identity.GetAsync(account);
        Assert.Equal(account, caller.Account);
        Assert.Equal(
            $"arn:aws:sts::{account}:assumed-role/{TopologyGenerator.EngineRoleName}/",
            caller.Arn[..^caller.Arn.Split('/')[^1].Length]
        );
    }

    [Fact]
    public async Task A_role_of_another_account_is_seen_for_what_it_is()
    {
        // The slip the check exists for: account 0's settings name account 1's role.
        await using var run = await StartAsync(i => 1 - i);
        var identity = new StsCallerIdentity(
            Microsoft.Extensions.Options.Options.Create(run.Rig.Options),
            run.Rig.Credentials
        );
        Assert.Equal(run.Topology.Accounts[1].Id, (await identity.GetAsync(run.Topology.Accounts[0].Id)).Account);
        Assert.Equal(run.Topology.Accounts[0].Id, (await identity.GetAsync(run.Topology.Accounts[1].Id)).Account);
    }

    [Fact]
    public void The_default_session_name_names_the_node_and_the_wave_within_what_sts_accepts()
    {
        var name = RoleSessionName.Default("mail node/7", "wave 2026-12-02 " + new string('x', 80));
        Assert.True(RoleSessionName.IsValid(name), name);
        Assert.StartsWith("cutover-mail-node-7-wave-2026-12-02-", name);
        Assert.Equal(64, name.Length);
    }

    [Fact]
    public void Role_settings_are_validated_with_the_account_named()
    {
        var options = new AwsOptions
        {
            Accounts =
            [
                new AwsAccountOptions
                {
                    Id = "111111111111",
                    RoleArn = "arn:aws:iam::1111:user/x",
                    DurationSeconds = 60,
                },
                new AwsAccountOptions { Id = "222222222222", ExternalId = "orphan" },
            ],
        };
        var error = Assert.Throws<AwsConfigurationException>(options.Validate).Message;
        Assert.Contains("Aws:Accounts:0:RoleArn 'arn:aws:iam::1111:user/x' is not a role ARN", error);
        Assert.Contains("Aws:Accounts:0:DurationSeconds 60 is outside 900..43200", error);
        Assert.Contains("Aws:Accounts:1:ExternalId is set but RoleArn is not", error);
    }
}
