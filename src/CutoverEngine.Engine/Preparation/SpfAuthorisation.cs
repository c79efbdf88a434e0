using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Preparation;

/// <summary>What pre-authorising the new addresses does to an SPF record: its text before and after, and the
/// mechanisms added (none when the record already lists every address).</summary>
public sealed record SpfRewrite(string Before, string After, IReadOnlyList<string> Added);

/// <summary>
/// Pre-authorising the new sending addresses in the sending domain's SPF record: an <c>ip4:</c> (or <c>ip6:</c>)
/// mechanism for each address the record does not already pass by one of its own ip mechanisms, placed before the
/// final <c>all</c> (or before <c>redirect=</c>, else at the end) so the record's verdict for every other address
/// stays what it was. Pure: the same record and addresses give the same text, so a replay adds nothing twice.
/// </summary>
public static class SpfAuthorisation
{
    /// <summary>RFC 7208 3.4: a record beyond this many characters risks a DNS answer over 512 octets (TCP), so
    /// receivers may not read it.</summary>
    public const int DefaultMaxLength = 450;

    /// <exception cref="SpfPermErrorException">The record is not valid SPF (nothing is to be written).</exception>
    public static SpfRewrite Authorise(string record, string domain, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(addresses);
        var parsed = SpfRecord.Parse(record, domain);
        var added = addresses
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .Distinct()
            .Where(a =>
                !parsed.Mechanisms.Any(m =>
                    m is { Qualifier: '+', Network: { } n }
                    && n.BaseAddress.AddressFamily == a.AddressFamily
                    && n.Contains(a)
                )
            )
            .Select(a => (a.AddressFamily == AddressFamily.InterNetwork ? "ip4:" : "ip6:") + a)
            .ToList();
        if (added.Count == 0)
            return new SpfRewrite(record, record, []);
        var terms = record.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var at = terms.FindIndex(1, IsAll);
        if (at < 0)
            at = terms.FindIndex(1, t => t.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase));
        if (at < 0)
            at = terms.Count;
        terms.InsertRange(at, added);
        return new SpfRewrite(record, string.Join(' ', terms), added);
    }

    static bool IsAll(string term) =>
        (term.Length > 0 && term[0] is '+' or '-' or '~' or '?' ? term[1..] : term).Equals(
            "all",
            StringComparison.OrdinalIgnoreCase
        );

    /// <summary>
    /// Why <paramref name="rewrite"/>'s record cannot be published, or null when it can: longer than
    /// <paramref name="maxLength"/>, or more DNS-querying terms than <paramref name="lookupLimit"/> counted through
    /// every record it includes or redirects to (ip mechanisms add none, so this is about the record as it stands).
    /// </summary>
    public static async Task<string?> WhyItCannotFitAsync(
        SpfRewrite rewrite,
        string domain,
        ISpfDns dns,
        int lookupLimit,
        int maxLength,
        CancellationToken ct
    )
    {
        if (rewrite.After.Length > maxLength)
            return $"the SPF record of {domain} would be {rewrite.After.Length} characters with "
                + $"{string.Join(" ", rewrite.Added)}; at most {maxLength} keep its DNS answer within 512 octets "
                + "(RFC 7208 3.4): list the addresses as one ip4 range, or move some terms into an include";
        var count = await new SpfEvaluator(
            new ProposedSpfDns(dns, domain, rewrite.After),
            lookupLimit
        ).CountLookupsAsync(domain, ct);
        return count.Result switch
        {
            SpfVerdict.PermError => $"the SPF record of {domain} would not be valid: {count.Explanation} "
                + $"({count.Lookups} DNS-querying terms counted, at most {lookupLimit})",
            SpfVerdict.TempError => $"the SPF record of {domain} could not be counted: {count.Explanation}",
            _ => count.Lookups > lookupLimit
                ? $"the SPF record of {domain} spends {count.Lookups} DNS-querying terms, at most {lookupLimit}"
                : null,
        };
    }

    /// <summary>The DNS as it will be once the record is written: the domain's SPF text replaced, the rest
    /// asked.</summary>
    sealed class ProposedSpfDns(ISpfDns dns, string domain, string record) : ISpfDns
    {
        public async Task<SpfDnsAnswer<string>> TxtAsync(string name, CancellationToken ct)
        {
            if (!string.Equals(name.TrimEnd('.'), domain.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
                return await dns.TxtAsync(name, ct);
            var live = await dns.TxtAsync(name, ct);
            return new SpfDnsAnswer<string>([.. live.Values.Where(v => !SpfRecord.IsSpf(v)), record]);
        }

        public Task<SpfDnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct) =>
            dns.AddressesAsync(name, family, ct);

        public Task<SpfDnsAnswer<string>> MailExchangesAsync(string name, CancellationToken ct) =>
            dns.MailExchangesAsync(name, ct);

        public Task<SpfDnsAnswer<string>> PointersAsync(string reverseName, CancellationToken ct) =>
            dns.PointersAsync(reverseName, ct);
    }
}
