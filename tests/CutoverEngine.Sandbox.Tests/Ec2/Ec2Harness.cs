using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.Runtime;
using CutoverEngine.Sandbox.Edge;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Sandbox.Tests.Ec2;

/// <summary>
/// A small EC2 world: one account with two instances on AWS hosts, two Elastic IPs (one associated), a BYOIP
/// range with one Elastic IP and a data-centre host on it, a second advertised range, a hosted zone for reverse-DNS
/// checks, and a second account whose addresses must stay invisible. The sandbox runs on a fake clock.
/// </summary>
public sealed class Ec2Harness : IAsyncDisposable
{
    public const string AccountId = "111122223333";
    public const string AccessKey = "AKIAEC2SANDBOXTEST01";
    public const string SecretKey = "ec2-sandbox-secret-key-for-tests";
    public const string OtherAccountId = "444455556666";
    public const string OtherAccessKey = "AKIAEC2SANDBOXOTHER1";
    public const string OtherSecretKey = "other-account-secret";

    public const string Instance1 = "i-0a1a1a1a1a1a1a1a1";
    public const string Instance2 = "i-0b2b2b2b2b2b2b2b2";
    public const string FreeEip = "eipalloc-0f00000000000f001";
    public const string FreeEipIp = "127.20.0.1";
    public const string AssociatedEip = "eipalloc-0f00000000000f002";
    public const string AssociatedEipIp = "127.20.0.2";
    public const string ByoipEip = "eipalloc-0f00000000000f003";
    public const string ByoipEipIp = "127.100.0.10";
    public const string ByoipPoolName = "ipv4pool-ec2-0acme0000000000001";
    public const string ByoipRangeCidr = "127.100.0.0/24";
    public const string AdvertisedCidr = "127.101.0.0/24";
    public const string OtherAccountEip = "eipalloc-0f00000000000f009";
    public const string DcHostId = "dc-mta1";
    public const string AwsHost1 = "aws-mta1";
    public const string AwsHost2 = "aws-mta2";
    public const string ZoneName = "ec2test.example";

    Ec2Harness(SandboxHost sandbox, FakeTimeProvider clock)
    {
        Sandbox = sandbox;
        Clock = clock;
        Client = NewClient(AccessKey, SecretKey);
    }

    public SandboxHost Sandbox { get; }
    public FakeTimeProvider Clock { get; }
    public AmazonEC2Client Client { get; }
    public SandboxWorld World => Sandbox.World;
    public AccountState Account => World.Accounts[AccountId];

    public static SandboxTopology Topology() =>
        new()
        {
            Accounts =
            [
                new TopologyAccount
                {
                    Id = AccountId,
                    AccessKeyId = AccessKey,
                    SecretAccessKey = SecretKey,
                    Instances =
                    [
                        new() { InstanceId = Instance1, Host = AwsHost1 },
                        new() { InstanceId = Instance2, Host = AwsHost2 },
                    ],
                    ElasticIps =
                    [
                        new() { AllocationId = FreeEip, PublicIp = FreeEipIp },
                        new()
                        {
                            AllocationId = AssociatedEip,
                            PublicIp = AssociatedEipIp,
                            InstanceId = Instance2,
                        },
                        new()
                        {
                            AllocationId = ByoipEip,
                            PublicIp = ByoipEipIp,
                            PublicIpv4Pool = ByoipPoolName,
                        },
                    ],
                    ByoipRanges =
                    [
                        new() { Cidr = ByoipRangeCidr },
                        new() { Cidr = AdvertisedCidr, State = "advertised" },
                    ],
                    HostedZones =
                    [
                        new()
                        {
                            Id = "Z0EC2TEST00000001",
                            Name = ZoneName,
                            Records =
                            [
                                new()
                                {
                                    Name = "mta1." + ZoneName,
                                    Type = "A",
                                    Values = [FreeEipIp],
                                },
                                new()
                                {
                                    Name = "mail." + ZoneName,
                                    Type = "CNAME",
                                    Values = ["mta1." + ZoneName],
                                },
                                new()
                                {
                                    Name = "elsewhere." + ZoneName,
                                    Type = "A",
                                    Values = ["127.9.9.9"],
                                },
                                new()
                                {
                                    Name = "mtab." + ZoneName,
                                    Type = "A",
                                    Values = [ByoipEipIp],
                                },
                            ],
                        },
                    ],
                },
                new TopologyAccount
                {
                    Id = OtherAccountId,
                    AccessKeyId = OtherAccessKey,
                    SecretAccessKey = OtherSecretKey,
                    ElasticIps = [new() { AllocationId = OtherAccountEip, PublicIp = "127.30.0.1" }],
                },
            ],
            Hosts =
            [
                new()
                {
                    Id = DcHostId,
                    Name = "mta1.dc.ec2test.example",
                    Site = "datacentre",
                    Addresses = [ByoipEipIp, "127.10.0.1"],
                },
                new()
                {
                    Id = AwsHost1,
                    Name = "mta1.aws.ec2test.example",
                    Site = "aws",
                },
                new()
                {
                    Id = AwsHost2,
                    Name = "mta2.aws.ec2test.example",
                    Site = "aws",
                },
            ],
        };

    public static async Task<Ec2Harness> StartAsync(Action<SandboxTopology>? adjust = null)
    {
        var topology = Topology();
        adjust?.Invoke(topology);
        // The edge checks X-Amz-Date against the sandbox clock, so the fake clock starts at the real time.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var sandbox = await SandboxHost.StartAsync(
            topology,
            new SandboxRunOptions
            {
                SmtpPort = 0,
                GenerateMail = false,
                Clock = clock,
            }
        );
        return new Ec2Harness(sandbox, clock);
    }

    public AmazonEC2Client NewClient(string accessKey, string secretKey) =>
        new(
            new BasicAWSCredentials(accessKey, secretKey),
            new AmazonEC2Config
            {
                ServiceURL = Sandbox.AwsEndpoint.ToString(),
                AuthenticationRegion = "us-east-1",
                MaxErrorRetry = 0,
            }
        );

    public string? OwnerOf(string ip) => World.OwnerOf(IPAddress.Parse(ip))?.Id;

    /// <summary>
    /// Sends a hand-built, correctly SigV4-signed EC2 Query request, for what the SDK cannot send
    /// (unknown actions, missing required parameters).
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> SendRawAsync(string form)
    {
        using var http = new HttpClient();
        var endpoint = Sandbox.AwsEndpoint;
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'");
        var date = now.ToString("yyyyMMdd");
        var body = Encoding.UTF8.GetBytes(form);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var host = endpoint.Authority;
        var canonical =
            $"POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:{host}\nx-amz-date:{amzDate}\n\ncontent-type;host;x-amz-date\n{payloadHash}";
        var scope = $"{date}/us-east-1/ec2/aws4_request";
        var stringToSign =
            $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = Convert.ToHexStringLower(
            HMACSHA256.HashData(
                SigV4Verifier.SigningKey(SecretKey, date, "us-east-1", "ec2"),
                Encoding.UTF8.GetBytes(stringToSign)
            )
        );
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=utf-8"
        );
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential={AccessKey}/{scope}, SignedHeaders=content-type;host;x-amz-date, Signature={signature}"
        );
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
    }
}
