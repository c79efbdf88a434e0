using System.Net;
using System.Net.Sockets;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// RFC 7208's check_host(): whether a domain's SPF policy permits an address to send for a sender. Follows
/// include, redirect, a, mx, ptr and exists with their macros and prefix lengths; exp= never changes the result.
/// Limits (section 4.6.4), shared by every record an evaluation reaches: <paramref name="lookupLimit"/>
/// DNS-querying terms, <see cref="VoidLookupLimit"/> queries that find nothing, <see cref="NameLimit"/> MX names
/// (more is a permerror) and PTR names (the rest are ignored).
/// </summary>
public sealed class SpfEvaluator(ISpfDns dns, int lookupLimit = 10)
{
    /// <summary>Queries answered with no records or NXDOMAIN allowed before a permerror (RFC 7208 4.6.4:
    /// two).</summary>
    public const int VoidLookupLimit = 2;

    /// <summary>MX and PTR names looked at per mechanism (RFC 7208 4.6.4: ten).</summary>
    public const int NameLimit = 10;

    /// <summary>Deepest include/redirect nesting; the lookup limit ends any loop first unless it is raised.</summary>
    const int MaxDepth = 20;

    const int MaxDomainLength = 253;

    /// <summary>Checks <paramref name="address"/> against <paramref name="domain"/>'s policy for mail from
    /// postmaster@<paramref name="domain"/> (the question verification and plan ask).</summary>
    public Task<SpfResult> CheckAsync(IPAddress address, string domain, CancellationToken ct) =>
        CheckHostAsync(address, domain, $"postmaster@{domain}", domain, ct);

    /// <summary>check_host(ip, domain, sender) with the HELO name for %{h}; never throws but for
    /// cancellation.</summary>
    public async Task<SpfResult> CheckHostAsync(
        IPAddress address,
        string domain,
        string sender,
        string helo,
        CancellationToken ct
    )
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return await RunAsync(
            new Evaluation(dns, lookupLimit, new SpfMacroContext(sender, domain, address, helo), ct),
            domain
        );
    }

    /// <summary>
    /// The DNS-querying terms <paramref name="domain"/>'s policy spends when nothing matches: every term of it and
    /// of every record it includes or redirects to, i.e. what a receiver may have to spend. A permerror past the
    /// limit, as a receiver would give.
    /// </summary>
    public async Task<SpfResult> CountLookupsAsync(string domain, CancellationToken ct)
    {
        var context = new SpfMacroContext($"postmaster@{domain}", domain, IPAddress.Any, domain);
        return await RunAsync(new Evaluation(dns, lookupLimit, context, ct, walkEveryTerm: true), domain);
    }

    static async Task<SpfResult> RunAsync(Evaluation evaluation, string domain)
    {
        try
        {
            var (verdict, why) = await evaluation.CheckHostAsync(domain.TrimEnd('.'), 0);
            return new SpfResult(verdict, evaluation.Lookups, why);
        }
        catch (SpfPermErrorException e)
        {
            return new SpfResult(SpfVerdict.PermError, evaluation.Lookups, e.Message);
        }
        catch (SpfTempErrorException e)
        {
            return new SpfResult(SpfVerdict.TempError, evaluation.Lookups, e.Message);
        }
    }

    /// <summary>One check_host() call and everything it reaches, with the budget they share. With
    /// <paramref name="walkEveryTerm"/> no mechanism ends the evaluation (for counting).</summary>
    sealed class Evaluation(
        ISpfDns dns,
        int lookupLimit,
        SpfMacroContext macros,
        CancellationToken ct,
        bool walkEveryTerm = false
    )
    {
        readonly IPAddress _address = macros.Address;
        readonly AddressFamily _family = macros.Address.AddressFamily;
        string? _validatedName;
        int _voids;

        public int Lookups { get; private set; }

        public async Task<(SpfVerdict, string)> CheckHostAsync(string domain, int depth)
        {
            if (!IsDomain(domain))
                return (SpfVerdict.None, $"'{domain}' is not a domain name");
            if (depth > MaxDepth)
                throw new SpfPermErrorException($"includes and redirects nest deeper than {MaxDepth} at {domain}");
            var txt = await dns.TxtAsync(domain, ct);
            if (txt.Failure is { } failure)
                throw new SpfTempErrorException($"the TXT lookup of {domain} failed: {failure}");
            var records = txt.Values.Where(SpfRecord.IsSpf).ToList();
            if (records.Count == 0)
                return (SpfVerdict.None, $"{domain} has no SPF record");
            if (records.Count > 1)
                throw new SpfPermErrorException($"{domain} has {records.Count} SPF records; exactly one is allowed");
            var record = SpfRecord.Parse(records[0], domain);
            var context = macros with { Domain = domain };
            foreach (var m in record.Mechanisms)
                if (await MatchesAsync(m, domain, context, depth) && !walkEveryTerm)
                    return (Verdict(m.Qualifier), $"'{m.Text}' of {domain} matched {_address}");
            // RFC 7208 6.1: with an "all" anywhere, redirect is ignored (evaluation stops at it anyway).
            if (record.Redirect is { } redirect && !record.Mechanisms.Any(m => m.Name == "all"))
            {
                Spend($"redirect={redirect}", domain);
                var target = await ExpandAsync(redirect, context);
                var (verdict, why) = await CheckHostAsync(target, depth + 1);
                if (verdict == SpfVerdict.None)
                    throw new SpfPermErrorException($"redirect={redirect} of {domain}: {why}");
                return (verdict, why);
            }
            return (SpfVerdict.Neutral, $"no term of {domain} matched {_address}");
        }

        async Task<bool> MatchesAsync(SpfMechanism m, string domain, SpfMacroContext context, int depth)
        {
            if (m.Name == "all")
                return true;
            if (m.Network is { } network)
                return network.BaseAddress.AddressFamily == _family && network.Contains(_address);
            Spend(m.Text, domain);
            var target = m.DomainSpec is null ? domain : await ExpandAsync(m.DomainSpec, context);
            switch (m.Name)
            {
                case "include":
                    var (verdict, why) = await CheckHostAsync(target, depth + 1);
                    return verdict switch
                    {
                        SpfVerdict.Pass => true,
                        SpfVerdict.None => throw new SpfPermErrorException($"'{m.Text}' of {domain}: {why}"),
                        _ => false,
                    };
                case "a":
                    return Within(await AddressesAsync(target, _family, m.Text, domain), m);
                case "mx":
                    if (!IsQueryable(target))
                    {
                        CountVoid(target);
                        return false;
                    }
                    var mx = Known(await dns.MailExchangesAsync(target, ct), "MX", target, m.Text, domain);
                    if (mx.Count > NameLimit)
                        throw new SpfPermErrorException(
                            $"'{m.Text}' of {domain}: {target} has {mx.Count} MX records, more than {NameLimit}"
                        );
                    foreach (var exchange in mx)
                        if (Within(await AddressesAsync(exchange, _family, m.Text, domain), m))
                            return true;
                    return false;
                case "exists":
                    // Always an A query, whatever the client's address family (RFC 7208 5.7).
                    return (await AddressesAsync(target, AddressFamily.InterNetwork, m.Text, domain)).Count > 0;
                default:
                    return (await ValidatedNamesAsync(countVoids: true)).Any(n => IsSameOrInside(n, target));
            }
        }

        /// <summary>
        /// The PTR names of the address whose own addresses include it (RFC 7208 5.5). DNS errors here mean no
        /// match rather than temperror: the PTR lookup failing is no name, an address lookup failing skips that
        /// name.
        /// </summary>
        async Task<IReadOnlyList<string>> ValidatedNamesAsync(bool countVoids)
        {
            var ptr = await dns.PointersAsync(SpfMacros.ReverseName(_address), ct);
            if (ptr.IsVoid && countVoids)
                CountVoid(SpfMacros.ReverseName(_address));
            var validated = new List<string>();
            foreach (var name in ptr.Values.Take(NameLimit))
            {
                var a = await dns.AddressesAsync(name, _family, ct);
                if (a.IsVoid && countVoids)
                    CountVoid(name);
                if (a.Values.Contains(_address))
                    validated.Add(name.TrimEnd('.'));
            }
            return validated;
        }

        async Task<string> ExpandAsync(string spec, SpfMacroContext context)
        {
            if (SpfMacros.UsesValidatedName(spec))
            {
                // %{p}: prefer the name that is the domain itself, then one inside it, then any (RFC 7208 7.3).
                if (_validatedName is null)
                {
                    var names = await ValidatedNamesAsync(countVoids: false);
                    _validatedName =
                        names.FirstOrDefault(n => n.Equals(context.Domain, StringComparison.OrdinalIgnoreCase))
                        ?? names.FirstOrDefault(n => IsSameOrInside(n, context.Domain))
                        ?? (names.Count > 0 ? names[0] : null)
                        ?? "unknown";
                }
                context = context with { ValidatedName = _validatedName };
            }
            return SpfMacros.ExpandDomain(spec, context);
        }

        async Task<IReadOnlyList<IPAddress>> AddressesAsync(
            string name,
            AddressFamily family,
            string term,
            string domain
        )
        {
            if (!IsQueryable(name))
            {
                CountVoid(name); // e.g. a null MX (RFC 7505), or a macro that expanded to an empty label
                return [];
            }
            var type = family == AddressFamily.InterNetwork ? "A" : "AAAA";
            return Known(await dns.AddressesAsync(name, family, ct), type, name, term, domain);
        }

        IReadOnlyList<T> Known<T>(SpfDnsAnswer<T> answer, string type, string name, string term, string domain)
        {
            if (answer.Failure is { } failure)
                throw new SpfTempErrorException($"'{term}' of {domain}: the {type} lookup of {name} failed: {failure}");
            if (answer.IsVoid)
                CountVoid(name);
            return answer.Values;
        }

        bool Within(IReadOnlyList<IPAddress> addresses, SpfMechanism m)
        {
            var length = _family == AddressFamily.InterNetwork ? m.Ip4PrefixLength : m.Ip6PrefixLength;
            return addresses.Any(a => a.AddressFamily == _family && SpfRecord.NetworkOf(a, length).Contains(_address));
        }

        void Spend(string term, string domain)
        {
            if (++Lookups > lookupLimit)
                throw new SpfPermErrorException(
                    $"more than {lookupLimit} DNS-querying terms (at '{term}' in {domain})"
                );
        }

        void CountVoid(string name)
        {
            if (++_voids > VoidLookupLimit)
                throw new SpfPermErrorException(
                    $"more than {VoidLookupLimit} lookups found nothing (the last: {name})"
                );
        }
    }

    static SpfVerdict Verdict(char qualifier) =>
        qualifier switch
        {
            '+' => SpfVerdict.Pass,
            '-' => SpfVerdict.Fail,
            '~' => SpfVerdict.SoftFail,
            _ => SpfVerdict.Neutral,
        };

    static bool IsSameOrInside(string name, string domain)
    {
        name = name.TrimEnd('.');
        domain = domain.TrimEnd('.');
        return name.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A name DNS can carry: no empty label, labels of at most 63 octets, 253 in all.</summary>
    static bool IsQueryable(string name) =>
        name.Length is > 0 and <= MaxDomainLength && name.Split('.').All(l => l.Length is > 0 and <= 63);

    /// <summary>RFC 7208 4.3: a queryable name of more than one label.</summary>
    static bool IsDomain(string domain) => IsQueryable(domain) && domain.Contains('.');
}
