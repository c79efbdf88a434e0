using System.Collections.Immutable;
using System.Net;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Sandbox.World;

/// <summary>
/// The sandbox's whole state: AWS accounts with their zones, addresses and ranges, and the MTA hosts.
/// Every service (Route 53, EC2, DNS, SMTP, sending control) reads and changes this one world, so what the
/// API says, what DNS answers and which MTA receives mail can never disagree. All access goes through
/// <see cref="Gate"/>; the world is small and calls are short, so one lock is both simplest and fast enough.
/// </summary>
public sealed class SandboxWorld
{
    long _sequence;

    public SandboxWorld(SandboxTopology topology, TimeProvider clock, TimeSpan? credentialTtl = null)
    {
        Clock = clock;
        CredentialTtl = credentialTtl;
        Settings = topology.Settings;
        var now = clock.GetUtcNow();
        var accounts = new Dictionary<string, AccountState>(StringComparer.Ordinal);
        foreach (var a in topology.Accounts)
        {
            var account = new AccountState(a.Id, a.Region, a.AccessKeyId, a.SecretAccessKey);
            foreach (var z in a.HostedZones)
            {
                var records = ImmutableSortedDictionary.CreateBuilder<RecordKey, RecordSet>(
                    Route53RecordOrder.Instance
                );
                var apex = DnsName.Normalize(z.Name);
                records[new RecordKey(apex, "SOA")] = new RecordSet(
                    apex,
                    "SOA",
                    900,
                    [$"ns-1.sandbox.cutover.invalid. hostmaster.{apex} 1 7200 900 1209600 86400"]
                );
                records[new RecordKey(apex, "NS")] = new RecordSet(
                    apex,
                    "NS",
                    172800,
                    ["ns-1.sandbox.cutover.invalid."]
                );
                foreach (var r in z.Records)
                {
                    var set = new RecordSet(DnsName.Normalize(r.Name), r.Type.ToUpperInvariant(), r.Ttl, [.. r.Values]);
                    records[set.Key] = set;
                }
                var zone = new HostedZoneState(z.Id, apex, a.Id, records.ToImmutable(), now);
                account.Zones[z.Id] = zone;
            }
            foreach (var e in a.ElasticIps)
            {
                var eip = new ElasticIpState
                {
                    AllocationId = e.AllocationId,
                    PublicIp = IPAddress.Parse(e.PublicIp),
                    AccountId = a.Id,
                    PublicIpv4Pool = e.PublicIpv4Pool,
                    InstanceId = e.InstanceId,
                    ReverseDns = e.ReverseDns is null ? null : DnsName.Normalize(e.ReverseDns),
                };
                if (eip.InstanceId is not null)
                    eip.AssociationId = NewId("eipassoc-");
                account.ElasticIps[eip.AllocationId] = eip;
            }
            foreach (var r in a.ByoipRanges)
            {
                if (!IpRange.TryParse(r.Cidr, out var range))
                    throw new SandboxTopologyException($"account {a.Id}: byoipRanges: '{r.Cidr}' is not an IPv4 CIDR");
                account.ByoipRanges[r.Cidr] = new ByoipRangeState
                {
                    Cidr = r.Cidr,
                    AccountId = a.Id,
                    Range = range,
                    State = r.State,
                    AnnouncedFromDataCentre = r.AnnouncedFromDataCentre,
                };
            }
            foreach (var i in a.Instances)
                account.Instances[i.InstanceId] = i.Host;
            foreach (var r in a.Roles)
            {
                var role = new RoleState(account, r);
                account.Roles[role.Arn] = role;
            }
            accounts[a.Id] = account;
        }
        Accounts = accounts;
        Credentials = new CredentialBook(accounts.Values);
        Hosts = topology.Hosts.ToDictionary(
            h => h.Id,
            h => new HostState(h.Id, h.Name, h.Site, [.. h.Addresses.Select(IPAddress.Parse)]),
            StringComparer.Ordinal
        );
        Environments = [.. topology.Environments];
        Blocklists = topology.Blocklists.ToDictionary(
            b => DnsName.Normalize(b.Zone),
            b => (IReadOnlyDictionary<string, string>)b.Listings.ToDictionary(l => l.Address, l => l.Answer),
            StringComparer.Ordinal
        );
    }

    /// <summary>The blocklist zones served, by normalized name: listed address to its answer.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Blocklists { get; }

    public object Gate { get; } = new();
    public TimeProvider Clock { get; }
    public TopologySettings Settings { get; }
    public IReadOnlyDictionary<string, AccountState> Accounts { get; }

    /// <summary>The long-term keys of the accounts and the temporary keys STS has issued.</summary>
    public CredentialBook Credentials { get; }

    /// <summary>
    /// Lifetime of every set of temporary keys STS issues, whatever DurationSeconds asked for (`--credential-ttl`,
    /// so tests see keys expire in seconds). Default null: the DurationSeconds asked for (AWS: 900 to 43200 s, 3600 s).
    /// </summary>
    public TimeSpan? CredentialTtl { get; }

    /// <summary>The role named by <paramref name="arn"/> in any account, or null.</summary>
    public RoleState? FindRole(string arn) =>
        Accounts.Values.Select(a => a.Roles.GetValueOrDefault(arn)).FirstOrDefault(r => r is not null);

    public IReadOnlyDictionary<string, HostState> Hosts { get; }
    public IReadOnlyList<TopologyEnvironment> Environments { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>AWS-looking ids that are unique within the run (hex after the prefix, 17 digits).</summary>
    public string NewId(string prefix) => prefix + Interlocked.Increment(ref _sequence).ToString("x17");

    public IEnumerable<HostedZoneState> AllZones => Accounts.Values.SelectMany(a => a.Zones.Values);

    /// <summary>Every address an MTA may answer on: data-centre addresses and every Elastic IP.</summary>
    public IReadOnlyList<IPAddress> AllMtaAddresses()
    {
        lock (Gate)
            return
            [
                .. Hosts
                    .Values.SelectMany(h => h.Addresses)
                    .Concat(Accounts.Values.SelectMany(a => a.ElasticIps.Values.Select(e => e.PublicIp)))
                    .Distinct(),
            ];
    }

    /// <summary>
    /// Which MTA host answers on <paramref name="address"/> now. An Elastic IP associated to an instance routes to
    /// that instance's host, unless the address belongs to a BYOIP range that AWS does not announce yet; otherwise
    /// the data-centre host that owns the address answers, unless AWS has taken its range over.
    /// </summary>
    public HostState? OwnerOf(IPAddress address)
    {
        lock (Gate)
        {
            var now = Now;
            ByoipRangeState? range = null;
            foreach (var account in Accounts.Values)
            {
                range ??= account.ByoipRanges.Values.FirstOrDefault(r => r.Range.Contains(address));
                foreach (var eip in account.ElasticIps.Values)
                {
                    if (!eip.PublicIp.Equals(address) || eip.InstanceId is null)
                        continue;
                    var announced = range is null || range.IsAnnouncedByAwsAt(now);
                    if (
                        announced
                        && account.Instances.TryGetValue(eip.InstanceId, out var hostId)
                        && Hosts.TryGetValue(hostId, out var awsHost)
                    )
                        return awsHost;
                }
            }
            if (range is not null && range.IsAnnouncedByAwsAt(now))
                return null; // AWS announces the range but nothing there is associated: packets go nowhere.
            return Hosts.Values.FirstOrDefault(h => h.Site != "aws" && h.Addresses.Contains(address));
        }
    }

    /// <summary>Amazon's origin AS for BYOIP ranges it advertises (AS16509, AMAZON-02).</summary>
    public const long AmazonAsn = 16509;

    /// <summary>
    /// Who announces <paramref name="prefix"/> (or a range covering it) now, as the world's route collectors see it:
    /// AWS once it advertises the range, the data centre until its network team withdraws it there. Null when no
    /// BYOIP range covers the prefix: the sandbox knows nothing of it.
    /// </summary>
    public IReadOnlyList<RouteOrigin>? OriginsOf(IpRange prefix)
    {
        lock (Gate)
        {
            var now = Now;
            var range = Accounts
                .Values.SelectMany(a => a.ByoipRanges.Values)
                .FirstOrDefault(r => r.Range.First <= prefix.First && r.Range.Last >= prefix.Last);
            if (range is null)
                return null;
            var origins = new List<RouteOrigin>();
            if (range.IsAnnouncedByAwsAt(now))
                origins.Add(new RouteOrigin(AmazonAsn, "AMAZON-02 - Amazon.com, Inc."));
            if (range.AnnouncedFromDataCentre)
                origins.Add(new RouteOrigin(Settings.DataCentreAsn, "SANDBOX-DC - the customer's data centre"));
            return origins;
        }
    }

    /// <summary>The data centre's network team withdraws the range covering <paramref name="prefix"/> from its
    /// routers; false when no BYOIP range covers it.</summary>
    public bool WithdrawFromDataCentre(IpRange prefix)
    {
        lock (Gate)
        {
            var range = Accounts
                .Values.SelectMany(a => a.ByoipRanges.Values)
                .FirstOrDefault(r => r.Range.First <= prefix.First && r.Range.Last >= prefix.Last);
            if (range is null)
                return false;
            range.AnnouncedFromDataCentre = false;
            return true;
        }
    }

    /// <summary>The zone most specific for <paramref name="name"/>, over all accounts.</summary>
    public HostedZoneState? ZoneFor(string name)
    {
        var n = DnsName.Normalize(name);
        lock (Gate)
            return AllZones.Where(z => DnsName.IsInside(n, z.Name)).MaxBy(z => z.Name.Length);
    }

    /// <summary>
    /// What an authoritative name server answers for (name, type) at this instant: only INSYNC changes are visible.
    /// PTR names outside any zone fall back to AWS's reverse DNS of Elastic IPs and the data centre's reverse DNS of
    /// its hosts.
    /// </summary>
    public DnsAnswer ResolveAuthoritative(string name, string type)
    {
        var n = DnsName.Normalize(name);
        type = type.ToUpperInvariant();
        lock (Gate)
        {
            var now = Now;
            var zone = ZoneFor(n);
            if (zone is null)
            {
                if (type == "PTR" && TryReverse(n, out var ptr))
                    return new DnsAnswer(DnsOutcome.Answer, null, [new RecordSet(n, "PTR", 300, [ptr])]);
                if (TryBlocklist(n, type) is { } listing)
                    return listing;
                return new DnsAnswer(DnsOutcome.Refused, null, []);
            }
            var published = zone.PublishedAt(now);
            var answers = new List<RecordSet>();
            var current = n;
            for (int hops = 0; hops < 8; hops++)
            {
                if (published.TryGetValue(new RecordKey(current, type), out var exact))
                {
                    answers.Add(exact);
                    return new DnsAnswer(DnsOutcome.Answer, zone, answers);
                }
                if (
                    type != "CNAME"
                    && published.TryGetValue(new RecordKey(current, "CNAME"), out var cname)
                    && cname.Values.Length > 0
                )
                {
                    answers.Add(cname);
                    var target = DnsName.Normalize(cname.Values[0]);
                    if (!DnsName.IsInside(target, zone.Name))
                        return new DnsAnswer(DnsOutcome.Answer, zone, answers);
                    current = target;
                    continue;
                }
                break;
            }
            if (answers.Count > 0)
                return new DnsAnswer(DnsOutcome.Answer, zone, answers);
            var exists = published.Keys.Any(k =>
                k.Name == current || k.Name.EndsWith("." + current, StringComparison.Ordinal)
            );
            return new DnsAnswer(exists ? DnsOutcome.NoData : DnsOutcome.NameError, zone, []);
        }
    }

    /// <summary>A blocklist query (the octets reversed under the zone): the listing's A record, NODATA for another
    /// type, NXDOMAIN when not listed; null outside every blocklist zone.</summary>
    DnsAnswer? TryBlocklist(string name, string type)
    {
        foreach (var (zone, listings) in Blocklists)
        {
            if (!name.EndsWith("." + zone, StringComparison.Ordinal))
                continue;
            var octets = name[..^(zone.Length + 1)].Split('.');
            var address = octets.Length == 4 ? string.Join('.', octets.Reverse()) : "";
            if (!listings.TryGetValue(address, out var answer))
                return new DnsAnswer(DnsOutcome.NameError, null, []);
            return type == "A"
                ? new DnsAnswer(DnsOutcome.Answer, null, [new RecordSet(name, "A", 300, [answer])])
                : new DnsAnswer(DnsOutcome.NoData, null, []);
        }
        return null;
    }

    bool TryReverse(string name, out string ptr)
    {
        ptr = "";
        const string suffix = ".in-addr.arpa.";
        if (!name.EndsWith(suffix, StringComparison.Ordinal))
            return false;
        var octets = name[..^suffix.Length].Split('.');
        if (octets.Length != 4 || !IPAddress.TryParse(string.Join('.', octets.Reverse()), out var ip))
            return false;
        foreach (var account in Accounts.Values)
        foreach (var eip in account.ElasticIps.Values)
            if (eip.PublicIp.Equals(ip) && eip.PublicIpv4Pool is null)
            {
                ptr = eip.ReverseDns ?? eip.DefaultReverseDns(account.Region);
                return true;
            }
        var host = Hosts.Values.FirstOrDefault(h => h.Addresses.Contains(ip));
        if (host is null)
            return false;
        ptr = DnsName.Normalize(host.Name);
        return true;
    }
}

public sealed class AccountState(string id, string region, string accessKeyId, string secretAccessKey)
{
    public string Id { get; } = id;
    public string Region { get; } = region;
    public string AccessKeyId { get; } = accessKeyId;
    public string SecretAccessKey { get; } = secretAccessKey;
    public Dictionary<string, HostedZoneState> Zones { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ElasticIpState> ElasticIps { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ByoipRangeState> ByoipRanges { get; } = new(StringComparer.Ordinal);

    /// <summary>Instance id to the id of the AWS host running on it.</summary>
    public Dictionary<string, string> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>The account's IAM roles by ARN.</summary>
    public Dictionary<string, RoleState> Roles { get; } = new(StringComparer.Ordinal);

    /// <summary>When this account last advertised or withdrew a range (AWS allows one such call per 10 s).</summary>
    public DateTimeOffset? LastByoipCallAt { get; set; }
}

public enum DnsOutcome
{
    Answer,
    NoData,
    NameError,
    Refused,
}

public sealed record DnsAnswer(DnsOutcome Outcome, HostedZoneState? Zone, IReadOnlyList<RecordSet> Records);

public sealed class SandboxTopologyException(string message) : Exception(message);
