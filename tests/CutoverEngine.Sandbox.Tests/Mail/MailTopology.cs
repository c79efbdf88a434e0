using System.Collections.Immutable;
using System.Net;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Tests.Mail;

/// <summary>
/// A one-customer world for the mail tests: mta1.acme-mail.example points at a data-centre MTA; an AWS MTA runs on an
/// instance and an Elastic IP waits, not yet associated, to take over. Loopback addresses play the public ones.
/// </summary>
static class MailTopology
{
    public const string AccountId = "111122223333";
    public const string ZoneId = "Z0MAILTEST0000001";
    public const string Zone = "acme-mail.example";
    public const string MtaName = "mta1.acme-mail.example";
    public const string EnvironmentId = "acme-prod";
    public const string DcHostId = "dc-acme-mta1";
    public const string DcHostName = "mta1.dc.acme-mail.example";
    public const string AwsHostId = "aws-acme-mta1";
    public const string AwsHostName = "mta1.aws.acme-mail.example";
    public const string InstanceId = "i-0a1b2c3d4e5f60001";
    public const string AllocationId = "eipalloc-0a1b2c3d4e5f60001";
    public static readonly IPAddress DcAddress = IPAddress.Parse("127.10.1.11");
    public static readonly IPAddress ElasticIp = IPAddress.Parse("127.10.2.21");

    public static SandboxTopology Build(double messagesPerSecond = 5, double defaultLeaseSeconds = 300) =>
        new()
        {
            Settings = new TopologySettings
            {
                SmtpPort = 0,
                MessagesPerSecond = messagesPerSecond,
                DefaultPauseLeaseSeconds = defaultLeaseSeconds,
                InsyncDelaySeconds = 0,
            },
            Accounts =
            [
                new TopologyAccount
                {
                    Id = AccountId,
                    AccessKeyId = "AKIAMAILTEST00000001",
                    SecretAccessKey = "mail-test-secret-key-0000000000000000000",
                    HostedZones =
                    [
                        new TopologyHostedZone
                        {
                            Id = ZoneId,
                            Name = Zone,
                            Records =
                            [
                                new TopologyRecord
                                {
                                    Name = MtaName,
                                    Type = "A",
                                    Ttl = 60,
                                    Values = [DcAddress.ToString()],
                                },
                            ],
                        },
                    ],
                    ElasticIps =
                    [
                        new TopologyElasticIp { AllocationId = AllocationId, PublicIp = ElasticIp.ToString() },
                    ],
                    Instances = [new TopologyInstance { InstanceId = InstanceId, Host = AwsHostId }],
                },
            ],
            Hosts =
            [
                new TopologyHost
                {
                    Id = DcHostId,
                    Name = DcHostName,
                    Site = "datacentre",
                    Addresses = [DcAddress.ToString()],
                },
                new TopologyHost
                {
                    Id = AwsHostId,
                    Name = AwsHostName,
                    Site = "aws",
                },
            ],
            Environments =
            [
                new TopologyEnvironment
                {
                    Id = EnvironmentId,
                    Customer = "acme",
                    Tier = "production",
                    Account = AccountId,
                    HostedZoneId = ZoneId,
                    SendingDomain = Zone,
                    MtaHostNames = [MtaName],
                    MessagesPerSecond = messagesPerSecond,
                },
            ],
        };

    /// <summary>What the cutover does, applied straight to the world: associate the EIP to the AWS instance.</summary>
    public static void AssociateElasticIp(SandboxWorld world)
    {
        lock (world.Gate)
        {
            var eip = world.Accounts[AccountId].ElasticIps[AllocationId];
            eip.InstanceId = InstanceId;
            eip.AssociationId = world.NewId("eipassoc-");
        }
    }

    /// <summary>Repoints mta1's A record at the Elastic IP, INSYNC at once.</summary>
    public static void PointMtaAtElasticIp(SandboxWorld world)
    {
        lock (world.Gate)
        {
            var zone = world.Accounts[AccountId].Zones[ZoneId];
            var key = new RecordKey(DnsName.Normalize(MtaName), "A");
            var now = world.Now;
            zone.Apply(
                zone.Current.SetItem(
                    key,
                    new RecordSet(key.Name, "A", 60, ImmutableArray.Create(ElasticIp.ToString()))
                ),
                world.NewId("C"),
                "cutover test",
                now,
                now
            );
        }
    }
}
