using CutoverEngine.Aws.Configuration;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Aws.Tests.Support;

/// <summary>Small sandbox topologies for gateway tests.</summary>
public static class SandboxWorlds
{
    public const string ZoneId = "Z0TESTZONE0000001";
    public const string ZoneName = "acme-mail.example";

    public static string AccountId(int i) => (111111111111L * (i + 1)).ToString("D12");

    public static string ZoneIdOf(int i) => i == 0 ? ZoneId : $"Z0TESTZONE{i:D7}";

    /// <summary><paramref name="accounts"/> accounts, each with one zone, two EIPs, two instances and a BYOIP
    /// range.</summary>
    public static SandboxTopology Topology(int accounts = 1, double insyncDelaySeconds = 0.3)
    {
        var topology = new SandboxTopology
        {
            Settings = new TopologySettings { InsyncDelaySeconds = insyncDelaySeconds },
        };
        for (var i = 0; i < accounts; i++)
        {
            topology.Accounts.Add(
                new TopologyAccount
                {
                    Id = AccountId(i),
                    Region = "us-east-1",
                    AccessKeyId = $"AKIATEST{i:D12}",
                    SecretAccessKey = $"test/secret/{i:D2}/not-a-real-key",
                    HostedZones =
                    [
                        new TopologyHostedZone
                        {
                            Id = ZoneIdOf(i),
                            Name = i == 0 ? ZoneName : $"acct{i}.{ZoneName}",
                            Records =
                            [
                                new TopologyRecord
                                {
                                    Name = $"mta1.{(i == 0 ? ZoneName : $"acct{i}.{ZoneName}")}",
                                    Type = "A",
                                    Ttl = 60,
                                    Values = ["127.10.0.11"],
                                },
                                new TopologyRecord
                                {
                                    Name = $"mta2.{(i == 0 ? ZoneName : $"acct{i}.{ZoneName}")}",
                                    Type = "A",
                                    Ttl = 60,
                                    Values = ["127.10.0.12"],
                                },
                            ],
                        },
                    ],
                    ElasticIps =
                    [
                        new TopologyElasticIp
                        {
                            AllocationId = $"eipalloc-{i:D2}00000000000001",
                            PublicIp = $"127.20.{i}.11",
                            InstanceId = $"i-{i:D2}0000000000000a",
                        },
                        new TopologyElasticIp
                        {
                            AllocationId = $"eipalloc-{i:D2}00000000000002",
                            PublicIp = $"127.20.{i}.12",
                        },
                    ],
                    Instances =
                    [
                        new TopologyInstance { InstanceId = $"i-{i:D2}0000000000000a", Host = $"aws-{i}-mta1" },
                        new TopologyInstance { InstanceId = $"i-{i:D2}0000000000000b", Host = $"aws-{i}-mta2" },
                    ],
                    ByoipRanges =
                    [
                        new TopologyByoipRange { Cidr = $"127.30.{i}.0/24", State = "provisioned" },
                        new TopologyByoipRange { Cidr = $"127.31.{i}.0/24", State = "advertised" },
                    ],
                }
            );
        }
        topology.Hosts.AddRange(
            Enumerable
                .Range(0, accounts)
                .SelectMany(i =>
                    new[]
                    {
                        new TopologyHost
                        {
                            Id = $"aws-{i}-mta1",
                            Name = $"mta1.acct{i}.example",
                            Site = "aws",
                        },
                        new TopologyHost
                        {
                            Id = $"aws-{i}-mta2",
                            Name = $"mta2.acct{i}.example",
                            Site = "aws",
                        },
                    }
                )
        );
        return topology;
    }

    /// <summary>The engine's account options for the sandbox's accounts (static keys, as the sandbox
    /// requires).</summary>
    public static List<AwsAccountOptions> AccountOptions(SandboxTopology topology) =>
        topology
            .Accounts.Select(a => new AwsAccountOptions
            {
                Id = a.Id,
                Region = a.Region,
                AccessKeyId = a.AccessKeyId,
                SecretAccessKey = a.SecretAccessKey,
            })
            .ToList();
}
