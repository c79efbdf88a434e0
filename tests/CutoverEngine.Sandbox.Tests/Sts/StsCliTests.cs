using System.Text.Json;
using CutoverEngine.Sandbox.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Sandbox.Tests.Sts;

/// <summary>The real AWS CLI assumes a sandbox role and uses the temporary keys against Route 53 and EC2.</summary>
public sealed class StsCliTests : IAsyncLifetime
{
    static readonly TimeSpan Ttl = TimeSpan.FromMinutes(2);
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await StsWorld.StartAsync(_clock, Ttl);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    sealed record Keys(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

    Task<AwsCli.Result> AsHub(params string[] args)
    {
        var hub = _sandbox.Topology.Accounts[0];
        return AwsCli.RunAsync(_sandbox.AwsEndpoint, hub.AccessKeyId, hub.SecretAccessKey, hub.Region, args);
    }

    Task<AwsCli.Result> As(Keys keys, params string[] args) =>
        AwsCli.RunWithSessionAsync(
            _sandbox.AwsEndpoint,
            keys.AccessKeyId,
            keys.SecretAccessKey,
            keys.SessionToken,
            "us-east-1",
            args
        );

    async Task<Keys> AssumeAsync(string role, params string[] extra)
    {
        var result = await AsHub([
            "sts",
            "assume-role",
            "--role-arn",
            StsWorld.RoleArn(_sandbox.Topology, role),
            "--role-session-name",
            "cli-rehearsal",
            .. extra,
        ]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var c = result.Json.GetProperty("Credentials");
        return new Keys(
            c.GetProperty("AccessKeyId").GetString()!,
            c.GetProperty("SecretAccessKey").GetString()!,
            c.GetProperty("SessionToken").GetString()!,
            DateTimeOffset.Parse(c.GetProperty("Expiration").GetString()!)
        );
    }

    static void AssertFailsWith(AwsCli.Result result, string code)
    {
        Assert.True(result.ExitCode != 0, $"expected {code}, but the call succeeded:\n{result.Stdout}");
        Assert.Contains($"({code})", result.Stderr);
    }

    [Fact]
    public async Task Get_caller_identity_with_base_keys_names_the_keys_account()
    {
        var result = await AsHub("sts", "get-caller-identity");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(_sandbox.Topology.Accounts[0].Id, result.Json.GetProperty("Account").GetString());
        Assert.StartsWith(
            $"arn:aws:iam::{_sandbox.Topology.Accounts[0].Id}:",
            result.Json.GetProperty("Arn").GetString()
        );
    }

    [Fact]
    public async Task Assumed_role_keys_are_temporary_and_expire_after_the_credential_ttl()
    {
        var keys = await AssumeAsync(StsWorld.EngineRole, "--external-id", StsWorld.ExternalId);
        Assert.StartsWith("ASIA", keys.AccessKeyId);
        Assert.Equal(20, keys.AccessKeyId.Length);
        Assert.False(string.IsNullOrEmpty(keys.SecretAccessKey));
        Assert.InRange(keys.Expiration, _clock.GetUtcNow() + Ttl - TimeSpan.FromSeconds(1), _clock.GetUtcNow() + Ttl);
    }

    [Fact]
    public async Task Temporary_keys_act_in_the_roles_account_on_sts_route53_and_ec2()
    {
        var target = _sandbox.Topology.Accounts[1];
        var keys = await AssumeAsync(StsWorld.EngineRole, "--external-id", StsWorld.ExternalId);

        var identity = await As(keys, "sts", "get-caller-identity");
        Assert.True(identity.ExitCode == 0, identity.Stderr);
        Assert.Equal(target.Id, identity.Json.GetProperty("Account").GetString());
        Assert.Equal(
            $"arn:aws:sts::{target.Id}:assumed-role/{StsWorld.EngineRole}/cli-rehearsal",
            identity.Json.GetProperty("Arn").GetString()
        );

        var zones = await As(keys, "route53", "list-hosted-zones-by-name");
        Assert.True(zones.ExitCode == 0, zones.Stderr);
        Assert.Equal(
            target.HostedZones.Select(z => "/hostedzone/" + z.Id).Order(),
            zones.Json.GetProperty("HostedZones").EnumerateArray().Select(z => z.GetProperty("Id").GetString()!).Order()
        );

        var addresses = await As(keys, "ec2", "describe-addresses");
        Assert.True(addresses.ExitCode == 0, addresses.Stderr);
        Assert.Equal(
            target.ElasticIps.Select(e => e.AllocationId).Order(),
            addresses
                .Json.GetProperty("Addresses")
                .EnumerateArray()
                .Select(a => a.GetProperty("AllocationId").GetString()!)
                .Order()
        );
    }

    [Fact]
    public async Task Expired_keys_are_refused_with_expired_token_on_route53_and_request_expired_on_ec2()
    {
        var keys = await AssumeAsync(StsWorld.EngineRole, "--external-id", StsWorld.ExternalId);
        _clock.Advance(Ttl + TimeSpan.FromSeconds(1));
        AssertFailsWith(await As(keys, "route53", "list-hosted-zones-by-name"), "ExpiredToken");
        AssertFailsWith(await As(keys, "sts", "get-caller-identity"), "ExpiredToken");
        AssertFailsWith(await As(keys, "ec2", "describe-addresses"), "RequestExpired");
    }

    [Fact]
    public async Task A_session_key_with_another_token_is_refused_as_invalid()
    {
        var keys = await AssumeAsync(StsWorld.EngineRole, "--external-id", StsWorld.ExternalId);
        var forged = keys with { SessionToken = keys.SessionToken[..^4] + "AAAA" };
        AssertFailsWith(await As(forged, "route53", "list-hosted-zones-by-name"), "InvalidClientTokenId");
        AssertFailsWith(await As(forged, "ec2", "describe-addresses"), "AuthFailure");
    }

    [Fact]
    public async Task Assume_role_without_the_external_id_is_denied()
    {
        var result = await AsHub(
            "sts",
            "assume-role",
            "--role-arn",
            StsWorld.RoleArn(_sandbox.Topology, StsWorld.EngineRole),
            "--role-session-name",
            "no-external-id"
        );
        AssertFailsWith(result, "AccessDenied");
        Assert.Contains("sts:AssumeRole", result.Stderr);
    }

    [Fact]
    public async Task A_key_the_trust_list_does_not_name_cannot_assume_the_role()
    {
        var other = _sandbox.Topology.Accounts[1];
        var result = await AwsCli.RunAsync(
            _sandbox.AwsEndpoint,
            other.AccessKeyId,
            other.SecretAccessKey,
            other.Region,
            "sts",
            "assume-role",
            "--role-arn",
            StsWorld.RoleArn(_sandbox.Topology, StsWorld.EngineRole),
            "--role-session-name",
            "untrusted",
            "--external-id",
            StsWorld.ExternalId
        );
        AssertFailsWith(result, "AccessDenied");
    }

    [Fact]
    public async Task Dry_run_answers_by_the_roles_policy()
    {
        var keys = await AssumeAsync(StsWorld.ReadOnlyRole);
        var eip = _sandbox.Topology.Accounts[1].ElasticIps[0];
        var instance = _sandbox.Topology.Accounts[1].Instances[0].InstanceId;
        AssertFailsWith(await As(keys, "ec2", "describe-addresses", "--dry-run"), "DryRunOperation");
        AssertFailsWith(
            await As(
                keys,
                "ec2",
                "associate-address",
                "--dry-run",
                "--allocation-id",
                eip.AllocationId,
                "--instance-id",
                instance
            ),
            "UnauthorizedOperation"
        );
        AssertFailsWith(
            await As(
                keys,
                "route53",
                "change-resource-record-sets",
                "--hosted-zone-id",
                _sandbox.Topology.Accounts[1].HostedZones[0].Id,
                "--change-batch",
                JsonSerializer.Serialize(
                    new
                    {
                        Changes = new[]
                        {
                            new
                            {
                                Action = "UPSERT",
                                ResourceRecordSet = new
                                {
                                    Name = "x." + _sandbox.Topology.Accounts[1].HostedZones[0].Name,
                                    Type = "A",
                                    TTL = 60,
                                    ResourceRecords = new[] { new { Value = "127.0.0.9" } },
                                },
                            },
                        },
                    }
                )
            ),
            "AccessDenied"
        );
    }
}
