using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace CutoverEngine.Sandbox.Tests.Sts;

/// <summary>AWSSDK.SecurityToken, unchanged, assumes a sandbox role; AWSSDK.EC2 then works with the temporary
/// keys.</summary>
public sealed class StsSdkTests : IAsyncLifetime
{
    SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await StsWorld.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    AmazonSecurityTokenServiceClient Sts(AWSCredentials credentials) =>
        new(
            credentials,
            new AmazonSecurityTokenServiceConfig
            {
                ServiceURL = _sandbox.AwsEndpoint.ToString(),
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 0,
            }
        );

    BasicAWSCredentials Hub =>
        new(_sandbox.Topology.Accounts[0].AccessKeyId, _sandbox.Topology.Accounts[0].SecretAccessKey);

    [Fact]
    public async Task The_sdk_assumes_a_role_and_its_keys_act_in_the_roles_account()
    {
        using var sts = Sts(Hub);
        var assumed = await sts.AssumeRoleAsync(
            new AssumeRoleRequest
            {
                RoleArn = StsWorld.RoleArn(_sandbox.Topology, StsWorld.EngineRole),
                RoleSessionName = "sdk",
                ExternalId = StsWorld.ExternalId,
                DurationSeconds = 900,
            }
        );
        var asRole = new SessionAWSCredentials(
            assumed.Credentials.AccessKeyId,
            assumed.Credentials.SecretAccessKey,
            assumed.Credentials.SessionToken
        );
        Assert.InRange(
            assumed.Credentials.Expiration!.Value,
            DateTime.UtcNow.AddSeconds(890),
            DateTime.UtcNow.AddSeconds(901)
        );

        using var stsAsRole = Sts(asRole);
        var identity = await stsAsRole.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(_sandbox.Topology.Accounts[1].Id, identity.Account);
        Assert.Equal(assumed.AssumedRoleUser.Arn, identity.Arn);

        using var ec2 = new AmazonEC2Client(
            asRole,
            new AmazonEC2Config
            {
                ServiceURL = _sandbox.AwsEndpoint.ToString(),
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 0,
            }
        );
        var addresses = await ec2.DescribeAddressesAsync(new DescribeAddressesRequest());
        Assert.Equal(
            _sandbox.Topology.Accounts[1].ElasticIps.Select(e => e.AllocationId).Order(),
            addresses.Addresses.Select(a => a.AllocationId).Order()
        );
    }

    [Fact]
    public async Task A_duration_below_awss_minimum_is_a_validation_error()
    {
        using var sts = Sts(Hub);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(
                new AssumeRoleRequest
                {
                    RoleArn = StsWorld.RoleArn(_sandbox.Topology, StsWorld.EngineRole),
                    RoleSessionName = "sdk",
                    ExternalId = StsWorld.ExternalId,
                    // Computed at run time: the SDK's analyzer refuses a literal below the minimum, and the server must
                    // refuse it too.
                    DurationSeconds = BelowMinimum(),
                }
            )
        );
        Assert.Equal("ValidationError", error.ErrorCode);
    }

    static int BelowMinimum() => CutoverEngine.Sandbox.Sts.StsService.MinDurationSeconds - 1;

    [Fact]
    public async Task A_wrong_external_id_is_access_denied()
    {
        using var sts = Sts(Hub);
        var error = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(
                new AssumeRoleRequest
                {
                    RoleArn = StsWorld.RoleArn(_sandbox.Topology, StsWorld.EngineRole),
                    RoleSessionName = "sdk",
                    ExternalId = "someone-else",
                }
            )
        );
        Assert.Equal("AccessDenied", error.ErrorCode);
    }
}
