using System.Net;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Tests.Waves;

/// <summary>Inventory environments for the wave rule tests: one account, one zone, one MTA host each.</summary>
internal static class SampleEnvironments
{
    static readonly AwsAccount Account = new("111111111111", "main", "eu-west-1", null);

    public static CutoverEnvironment Env(string id, Tier tier, int? budgetMinutes = null) =>
        new(
            id,
            "Acme",
            tier,
            Offering.V8,
            Account,
            "eu-west-1",
            new HostedZoneRef("Z1", "example.test"),
            "example.test",
            new Uri("http://127.0.0.1:1/"),
            IpStrategy.ElasticIp,
            null,
            budgetMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
            [
                new MtaHost(
                    $"mta.{id}.example.test",
                    IPAddress.Parse("192.0.2.1"),
                    new MtaTarget("i-1", "eipalloc-1", IPAddress.Parse("198.51.100.1"), "mta")
                ),
            ],
            null
        );
}
