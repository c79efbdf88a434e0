using System.Net;
using DnsClient;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// DNS as verification needs it: the zone's authoritative servers asked directly (no cache, no recursion), and
/// a general resolver for names outside the zone (PTR of AWS addresses, SPF includes). With
/// <see cref="VerificationOptions.AuthoritativeServerOverride"/> every question goes to that one server.
/// </summary>
public sealed class DnsQueries(IOptions<VerificationOptions> options)
{
    readonly VerificationOptions _o = options.Value;

    public IPEndPoint? Override => _o.AuthoritativeServerOverride is { Length: > 0 } s ? IPEndPoint.Parse(s) : null;

    LookupClient Client(IReadOnlyList<IPEndPoint> servers, bool recursion) =>
        new(
            new LookupClientOptions([.. servers.Select(s => new NameServer(s))])
            {
                UseCache = false,
                Recursion = recursion,
                Timeout = _o.DnsTimeout,
                Retries = _o.DnsRetries,
                UseTcpFallback = true,
                ThrowDnsErrors = false,
                ContinueOnDnsError = false,
            }
        );

    /// <summary>The zone's authoritative servers: the override, or the addresses of its NS records.</summary>
    public async Task<IReadOnlyList<IPEndPoint>> AuthoritativeServersAsync(string zone, CancellationToken ct)
    {
        if (Override is { } o)
            return [o];
        var resolver = new LookupClient(
            new LookupClientOptions
            {
                UseCache = false,
                Timeout = _o.DnsTimeout,
                Retries = _o.DnsRetries,
            }
        );
        var ns = await resolver.QueryAsync(zone, QueryType.NS, cancellationToken: ct);
        var servers = new List<IPEndPoint>();
        foreach (var name in ns.Answers.NsRecords().Select(n => n.NSDName.Value))
        {
            var a = await resolver.QueryAsync(name, QueryType.A, cancellationToken: ct);
            servers.AddRange(a.Answers.ARecords().Select(r => new IPEndPoint(r.Address, 53)));
        }
        if (servers.Count == 0)
            throw new InvalidOperationException($"no authoritative name server found for zone {zone}");
        return servers;
    }

    /// <summary>Asks the zone's authoritative servers. Names outside the zone are not theirs to answer.</summary>
    public async Task<DnsResult> AuthoritativeAsync(string zone, string name, QueryType type, CancellationToken ct)
    {
        var servers = await AuthoritativeServersAsync(zone, ct);
        return Result(await Client(servers, recursion: false).QueryAsync(name, type, QueryClass.IN, ct));
    }

    /// <summary>
    /// True when every one of the zone's authoritative servers answers <paramref name="name"/> with exactly
    /// <paramref name="expected"/>: the change has reached all of them, which is what Route 53's INSYNC promises,
    /// learnt without spending the account's Route 53 quota.
    /// </summary>
    public async Task<bool> AllAuthoritativeServersAnswerAsync(
        string zone,
        string name,
        IReadOnlyCollection<IPAddress> expected,
        CancellationToken ct
    )
    {
        var servers = await AuthoritativeServersAsync(zone, ct);
        foreach (var server in servers)
        {
            var r = Result(await Client([server], recursion: false).QueryAsync(name, QueryType.A, QueryClass.IN, ct));
            if (!r.Ok || !r.Addresses.ToHashSet().SetEquals(expected))
                return false;
        }
        return true;
    }

    /// <summary>Asks a recursive resolver (the override in rehearsals).</summary>
    public async Task<DnsResult> ResolveAsync(string name, QueryType type, CancellationToken ct)
    {
        var client = Override is { } o
            ? Client([o], recursion: false)
            : new LookupClient(
                new LookupClientOptions
                {
                    UseCache = false,
                    Timeout = _o.DnsTimeout,
                    Retries = _o.DnsRetries,
                    ThrowDnsErrors = false,
                }
            );
        return Result(await client.QueryAsync(name, type, QueryClass.IN, ct));
    }

    static DnsResult Result(IDnsQueryResponse r) =>
        new(r.HasError ? r.Header.ResponseCode.ToString() : "NoError", r.Answers);
}
