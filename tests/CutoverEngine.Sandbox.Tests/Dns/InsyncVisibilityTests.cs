using System.Net;
using CutoverEngine.Sandbox.World;
using CutoverEngine.Testing;
using DnsClient;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Sandbox.Tests.Dns;

/// <summary>
/// The behaviour cutovers are timed by: a Route 53 change is answered by the name servers only once it is
/// INSYNC, by the sandbox's clock. Changes are applied through the world the way the Route 53 service does.
/// </summary>
public sealed class InsyncVisibilityTests : IAsyncLifetime
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await DnsTestWorld.StartAsync(_clock);

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    TimeSpan InsyncDelay => TimeSpan.FromSeconds(_sandbox.World.Settings.InsyncDelaySeconds);

    LookupClient Client() =>
        new(
            new LookupClientOptions(new NameServer(_sandbox.DnsEndpoint))
            {
                UseCache = false,
                Recursion = false,
                Retries = 0,
                Timeout = TimeSpan.FromSeconds(3),
                ThrowDnsErrors = false,
            }
        );

    /// <summary>Applies a one-record change as Route 53's ChangeResourceRecordSets would, pending for the INSYNC
    /// delay.</summary>
    void ChangeRecord(RecordSet set)
    {
        var world = _sandbox.World;
        lock (world.Gate)
        {
            var zone = world.Accounts.Values.SelectMany(a => a.Zones.Values).Single(z => z.Id == DnsTestWorld.ZoneId);
            var now = world.Now;
            zone.Apply(zone.Current.SetItem(set.Key, set), world.NewId("C"), null, now, now + InsyncDelay);
        }
    }

    async Task<string[]> AddressesOf(string name)
    {
        var response = await Client().QueryAsync(name, QueryType.A);
        Assert.False(
            response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain,
            response.ErrorMessage
        );
        return [.. response.Answers.ARecords().Select(a => a.Address.ToString()).Order()];
    }

    [Fact]
    public async Task A_repointed_record_is_answered_with_the_old_address_until_the_change_is_insync()
    {
        ChangeRecord(new RecordSet("mta1.acme-mail.example.", "A", 60, ["127.30.0.5"]));

        Assert.Equal(["127.20.1.11"], await AddressesOf("mta1.acme-mail.example"));
        _clock.Advance(InsyncDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(["127.20.1.11"], await AddressesOf("mta1.acme-mail.example"));

        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(["127.30.0.5"], await AddressesOf("mta1.acme-mail.example"));
    }

    [Fact]
    public async Task Dig_sees_the_new_address_and_ttl_only_after_insync()
    {
        ChangeRecord(new RecordSet("mta2.acme-mail.example.", "A", 30, ["127.30.0.5"]));

        var before = await Dig.RunAsync(_sandbox.DnsEndpoint, "mta2.acme-mail.example", "A", "+norec");
        _clock.Advance(InsyncDelay + TimeSpan.FromSeconds(1));
        var after = await Dig.RunAsync(_sandbox.DnsEndpoint, "mta2.acme-mail.example", "A", "+norec");

        Assert.Equal(
            new DigRecord("mta2.acme-mail.example.", 60, "IN", "A", "127.20.1.12"),
            Assert.Single(before.Answer)
        );
        Assert.Equal(
            new DigRecord("mta2.acme-mail.example.", 30, "IN", "A", "127.30.0.5"),
            Assert.Single(after.Answer)
        );
    }

    [Fact]
    public async Task A_new_name_stays_nxdomain_until_its_change_is_insync()
    {
        ChangeRecord(new RecordSet("mta3.acme-mail.example.", "A", 60, ["127.30.0.6"]));

        var pending = await Client().QueryAsync("mta3.acme-mail.example", QueryType.A);
        _clock.Advance(InsyncDelay);
        var insync = await Client().QueryAsync("mta3.acme-mail.example", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, pending.Header.ResponseCode);
        Assert.Equal(DnsHeaderResponseCode.NoError, insync.Header.ResponseCode);
        Assert.Equal(IPAddress.Parse("127.30.0.6"), Assert.Single(insync.Answers.ARecords()).Address);
    }

    [Fact]
    public async Task The_spf_record_follows_its_change_once_insync_over_tcp_too()
    {
        ChangeRecord(
            new RecordSet("acme-mail.example.", "TXT", 300, ["\"v=spf1 ip4:127.20.1.0/24 ip4:127.30.0.0/24 -all\""])
        );
        var tcp = new LookupClient(
            new LookupClientOptions(new NameServer(_sandbox.DnsEndpoint))
            {
                UseCache = false,
                Recursion = false,
                UseTcpOnly = true,
                Retries = 0,
            }
        );

        var pending = await tcp.QueryAsync("acme-mail.example", QueryType.TXT);
        _clock.Advance(InsyncDelay);
        var insync = await tcp.QueryAsync("acme-mail.example", QueryType.TXT);

        Assert.Equal("v=spf1 ip4:127.20.1.0/24 -all", Assert.Single(pending.Answers.TxtRecords()).Text.Single());
        Assert.Equal(
            "v=spf1 ip4:127.20.1.0/24 ip4:127.30.0.0/24 -all",
            Assert.Single(insync.Answers.TxtRecords()).Text.Single()
        );
    }

    [Fact]
    public async Task A_second_change_shows_over_the_first_only_when_it_is_insync_itself()
    {
        ChangeRecord(new RecordSet("mta1.acme-mail.example.", "A", 60, ["127.30.0.5"]));
        _clock.Advance(InsyncDelay);
        ChangeRecord(new RecordSet("mta1.acme-mail.example.", "A", 60, ["127.30.0.7"]));

        Assert.Equal(["127.30.0.5"], await AddressesOf("mta1.acme-mail.example"));
        _clock.Advance(InsyncDelay);
        Assert.Equal(["127.30.0.7"], await AddressesOf("mta1.acme-mail.example"));
    }

    [Fact]
    public async Task Removing_a_record_set_turns_the_name_into_nxdomain_once_insync()
    {
        var world = _sandbox.World;
        lock (world.Gate)
        {
            var zone = world.AllZones.Single(z => z.Id == DnsTestWorld.ZoneId);
            var now = world.Now;
            zone.Apply(
                zone.Current.Remove(new RecordKey("v6.acme-mail.example.", "AAAA")),
                world.NewId("C"),
                null,
                now,
                now + InsyncDelay
            );
        }

        var pending = await Client().QueryAsync("v6.acme-mail.example", QueryType.AAAA);
        _clock.Advance(InsyncDelay);
        var insync = await Client().QueryAsync("v6.acme-mail.example", QueryType.AAAA);

        Assert.Single(pending.Answers.AaaaRecords());
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, insync.Header.ResponseCode);
    }
}
