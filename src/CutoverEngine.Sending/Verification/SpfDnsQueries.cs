using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// SPF's DNS through verification's client: names in <paramref name="zone"/> from its authoritative servers
/// (what the cutover just wrote, before any resolver caches it), anything else from the resolver.
/// </summary>
public sealed class SpfDnsQueries(DnsQueries dns, string zone) : ISpfDns
{
    readonly string _zone = zone.TrimEnd('.');

    public async Task<SpfDnsAnswer<string>> TxtAsync(string name, CancellationToken ct) =>
        Answer(await AskAsync(name, QueryType.TXT, ct), r => r.Texts);

    public async Task<SpfDnsAnswer<IPAddress>> AddressesAsync(
        string name,
        AddressFamily family,
        CancellationToken ct
    ) =>
        Answer<IPAddress>(
            await AskAsync(name, family == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A, ct),
            r => [.. r.Addresses.Where(a => a.AddressFamily == family)]
        );

    public async Task<SpfDnsAnswer<string>> MailExchangesAsync(string name, CancellationToken ct) =>
        Answer(await AskAsync(name, QueryType.MX, ct), r => r.MailExchanges);

    public async Task<SpfDnsAnswer<string>> PointersAsync(string reverseName, CancellationToken ct) =>
        Answer(await AskAsync(reverseName, QueryType.PTR, ct), r => r.Names);

    async Task<DnsResult?> AskAsync(string name, QueryType type, CancellationToken ct)
    {
        var n = name.TrimEnd('.');
        try
        {
            return
                n.Equals(_zone, StringComparison.OrdinalIgnoreCase)
                || n.EndsWith("." + _zone, StringComparison.OrdinalIgnoreCase)
                ? await dns.AuthoritativeAsync(_zone, n, type, ct)
                : await dns.ResolveAsync(n, type, ct);
        }
        catch (DnsResponseException)
        {
            return null; // a timeout or an unreadable answer: a temperror, reported by the caller
        }
    }

    static SpfDnsAnswer<T> Answer<T>(DnsResult? r, Func<DnsResult, IReadOnlyList<T>> values) =>
        r is null ? new([], "no answer")
        : r.Ok ? new(values(r))
        : r.NameError ? new([])
        : new([], r.ResponseCode);
}
