using System.Text.Json;
using CutoverEngine.Sandbox.Tests.Support;
using CutoverEngine.Sandbox.World;
using CutoverEngine.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Sandbox.Tests.Route53;

/// <summary>The real AWS CLI, unchanged, drives the sandbox's Route 53 and reads its answers.</summary>
public sealed class Route53CliTests : IAsyncLifetime
{
    // The fake clock drives INSYNC; quota refills follow it too, so this class lifts the quota it does not test.
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    SandboxHost _sandbox = null!;
    string _zoneId = "";

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxWorlds.StartAsync(
            SandboxWorlds.Generated(
                6,
                s =>
                {
                    s.InsyncDelaySeconds = 30;
                    s.Route53RequestsPerSecond = 10_000;
                }
            ),
            _clock
        );
        _zoneId = _sandbox.Topology.Accounts[0].HostedZones[0].Id;
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    static string Batch(string action, string name, string type, long ttl, params string[] values) =>
        JsonSerializer.Serialize(
            new
            {
                Changes = new[]
                {
                    new
                    {
                        Action = action,
                        ResourceRecordSet = new
                        {
                            Name = name,
                            Type = type,
                            TTL = ttl,
                            ResourceRecords = values.Select(v => new { Value = v }).ToArray(),
                        },
                    },
                },
            }
        );

    [Fact]
    public async Task List_hosted_zones_by_name_returns_the_accounts_zones_with_prefixed_ids()
    {
        var result = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "list-hosted-zones-by-name",
            "--dns-name",
            "acme-mail.example"
        );
        Assert.True(result.ExitCode == 0, result.Stderr);
        var zones = result.Json.GetProperty("HostedZones").EnumerateArray().ToList();
        Assert.Equal("/hostedzone/" + _zoneId, zones[0].GetProperty("Id").GetString());
        Assert.Equal("acme-mail.example.", zones[0].GetProperty("Name").GetString());
        // The second account's zones are not listed to the first account.
        var otherZone = _sandbox.Topology.Accounts[1].HostedZones[0].Name + ".";
        Assert.DoesNotContain(zones, z => z.GetProperty("Name").GetString() == otherZone);
    }

    [Fact]
    public async Task Upsert_is_pending_until_the_propagation_delay_has_passed_then_insync()
    {
        var change = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "change-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--change-batch",
            Batch("UPSERT", "mta1.dev.acme-mail.example", "A", 60, "127.20.0.11")
        );
        Assert.True(change.ExitCode == 0, change.Stderr);
        var info = change.Json.GetProperty("ChangeInfo");
        Assert.Equal("PENDING", info.GetProperty("Status").GetString());
        var changeId = info.GetProperty("Id").GetString()!;
        Assert.StartsWith("/change/C", changeId);

        var pending = await AwsCli.RunAsync(_sandbox, 0, "route53", "get-change", "--id", changeId);
        Assert.Equal("PENDING", pending.Json.GetProperty("ChangeInfo").GetProperty("Status").GetString());

        _clock.Advance(TimeSpan.FromSeconds(31));
        var insync = await AwsCli.RunAsync(_sandbox, 0, "route53", "get-change", "--id", changeId);
        Assert.Equal("INSYNC", insync.Json.GetProperty("ChangeInfo").GetProperty("Status").GetString());

        var listed = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--query",
            "ResourceRecordSets[?Name=='mta1.dev.acme-mail.example.' && Type=='A'].ResourceRecords[].Value"
        );
        Assert.Equal(new[] { "127.20.0.11" }, listed.Json.EnumerateArray().Select(v => v.GetString()!).ToArray());
    }

    [Fact]
    public async Task An_upsert_made_with_the_cli_reaches_dig_only_once_insync()
    {
        static async Task<string> Dug(SandboxHost sandbox) =>
            string.Join(
                ",",
                (await Dig.RunAsync(sandbox.DnsEndpoint, "mta1.dev.acme-mail.example", "A", "+norec")).Answer.Select(
                    a => a.Data
                )
            );
        Assert.Equal("127.10.0.11", await Dug(_sandbox));

        var change = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "change-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--change-batch",
            Batch("UPSERT", "mta1.dev.acme-mail.example", "A", 60, "127.20.0.11")
        );
        Assert.True(change.ExitCode == 0, change.Stderr);
        Assert.Equal("127.10.0.11", await Dug(_sandbox)); // accepted by the API, not yet served

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("127.10.0.11", await Dug(_sandbox));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("127.20.0.11", await Dug(_sandbox));
    }

    [Fact]
    public async Task Listing_in_small_pages_follows_next_record_name_and_type_to_every_set()
    {
        var all = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            _zoneId
        );
        var paged = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--page-size",
            "2"
        );
        Assert.True(paged.ExitCode == 0, paged.Stderr);
        static string[] Keys(JsonElement e) =>
            [
                .. e.GetProperty("ResourceRecordSets")
                    .EnumerateArray()
                    .Select(r => r.GetProperty("Name").GetString() + "/" + r.GetProperty("Type").GetString()),
            ];
        var expected = Keys(all.Json);
        Assert.True(expected.Length > 4);
        Assert.Equal(expected, Keys(paged.Json));
        Assert.True(
            _sandbox.Metrics.For(_sandbox.Topology.Accounts[0].Id, "route53", "ListResourceRecordSets").Accepted
                >= 1 + (expected.Length + 1) / 2
        );
    }

    [Fact]
    public async Task A_batch_with_one_bad_change_fails_whole_with_invalid_change_batch()
    {
        var batch = JsonSerializer.Serialize(
            new
            {
                Changes = new object[]
                {
                    new
                    {
                        Action = "UPSERT",
                        ResourceRecordSet = new
                        {
                            Name = "new.dev.acme-mail.example",
                            Type = "A",
                            TTL = 60,
                            ResourceRecords = new[] { new { Value = "127.20.0.99" } },
                        },
                    },
                    new
                    {
                        Action = "CREATE",
                        ResourceRecordSet = new
                        {
                            Name = "mta1.dev.acme-mail.example",
                            Type = "A",
                            TTL = 60,
                            ResourceRecords = new[] { new { Value = "127.20.0.11" } },
                        },
                    },
                    new
                    {
                        Action = "DELETE",
                        ResourceRecordSet = new
                        {
                            Name = "missing.dev.acme-mail.example",
                            Type = "A",
                            TTL = 60,
                            ResourceRecords = new[] { new { Value = "127.20.0.12" } },
                        },
                    },
                },
            }
        );
        var result = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "change-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--change-batch",
            batch
        );
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("InvalidChangeBatch", result.Stderr);
        Assert.Contains(
            "Tried to create resource record set [name='mta1.dev.acme-mail.example.', type='A'] but it already exists",
            result.Stderr
        );
        Assert.Contains(
            "Tried to delete resource record set [name='missing.dev.acme-mail.example.', type='A'] but it was not found",
            result.Stderr
        );
        lock (_sandbox.World.Gate)
            Assert.False(
                _sandbox
                    .World.Accounts[_sandbox.Topology.Accounts[0].Id]
                    .Zones[_zoneId]
                    .Current.ContainsKey(new RecordKey("new.dev.acme-mail.example.", "A"))
            );
    }

    [Fact]
    public async Task A_change_to_a_zone_whose_previous_change_is_pending_is_refused_as_prior_request_not_complete()
    {
        var first = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "change-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--change-batch",
            Batch("UPSERT", "a.dev.acme-mail.example", "A", 60, "127.20.0.50")
        );
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "change-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--change-batch",
            Batch("UPSERT", "b.dev.acme-mail.example", "A", 60, "127.20.0.51")
        );
        Assert.NotEqual(0, second.ExitCode);
        Assert.Contains("PriorRequestNotComplete", second.Stderr);
        _clock.Advance(TimeSpan.FromSeconds(31));
        var third = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "change-resource-record-sets",
            "--hosted-zone-id",
            _zoneId,
            "--change-batch",
            Batch("UPSERT", "b.dev.acme-mail.example", "A", 60, "127.20.0.51")
        );
        Assert.True(third.ExitCode == 0, third.Stderr);
    }

    [Fact]
    public async Task An_unknown_zone_is_no_such_hosted_zone()
    {
        var result = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            "ZNOTAZONE0000"
        );
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("NoSuchHostedZone", result.Stderr);
    }

    [Fact]
    public async Task Another_accounts_zone_is_invisible()
    {
        var otherZone = _sandbox.Topology.Accounts[1].HostedZones[0].Id;
        var result = await AwsCli.RunAsync(
            _sandbox,
            0,
            "route53",
            "list-resource-record-sets",
            "--hosted-zone-id",
            otherZone
        );
        Assert.Contains("NoSuchHostedZone", result.Stderr);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_with_signature_does_not_match()
    {
        var account = _sandbox.Topology.Accounts[0];
        var saved = account.SecretAccessKey;
        account.SecretAccessKey = "wrong-secret"; // the CLI signs with this; the sandbox verifies with the secret it started with
        try
        {
            var result = await AwsCli.RunAsync(_sandbox, 0, "route53", "list-hosted-zones-by-name");
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("SignatureDoesNotMatch", result.Stderr);
        }
        finally
        {
            account.SecretAccessKey = saved;
        }
    }
}
