using System.Net;
using System.Net.Sockets;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// Evaluates whether a domain's SPF policy permits an address (RFC 7208 section 4.6 order of evaluation),
/// counting the DNS-querying terms (include, a, mx, ptr, exists, redirect) across includes: more than the limit
/// is a permerror, since receivers would then treat the policy as broken.
/// </summary>
public sealed class SpfEvaluator(ISpfDns dns, int lookupLimit = 10)
{
    sealed class Budget
    {
        public int Lookups;
    }

    public async Task<SpfResult> CheckAsync(IPAddress address, string domain, CancellationToken ct)
    {
        var budget = new Budget();
        try
        {
            var r = await EvaluateAsync(address, domain, budget, 0, ct);
            return r with { Lookups = budget.Lookups };
        }
        catch (SpfPermError e)
        {
            return new SpfResult("permerror", budget.Lookups, e.Message);
        }
    }

    async Task<SpfResult> EvaluateAsync(
        IPAddress address,
        string domain,
        Budget budget,
        int depth,
        CancellationToken ct
    )
    {
        var records = (await dns.TxtAsync(domain, ct))
            .Where(t =>
                t.Equals("v=spf1", StringComparison.OrdinalIgnoreCase)
                || t.StartsWith("v=spf1 ", StringComparison.OrdinalIgnoreCase)
            )
            .ToList();
        if (records.Count == 0)
            return new SpfResult("none", budget.Lookups, $"{domain} has no SPF record");
        if (records.Count > 1)
            return new SpfResult(
                "permerror",
                budget.Lookups,
                $"{domain} has {records.Count} SPF records; exactly one is allowed"
            );
        string? redirect = null;
        foreach (var term in records[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            if (term.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase))
            {
                redirect = term[9..];
                continue;
            }
            if (term.Contains('=') && !term.Contains(':'))
                continue; // other modifiers (exp=) do not decide
            var qualifier = term[0] is '+' or '-' or '~' or '?' ? term[0] : '+';
            var mechanism = qualifier == term[0] ? term[1..] : term;
            var (name, arg) = mechanism.IndexOfAny([':', '/']) is var i and >= 0
                ? (mechanism[..i].ToLowerInvariant(), mechanism[i..])
                : (mechanism.ToLowerInvariant(), "");
            bool matched;
            switch (name)
            {
                case "all":
                    matched = true;
                    break;
                case "ip4" or "ip6":
                    matched = arg.StartsWith(':') && CidrContains(arg[1..], address);
                    break;
                case "a" or "mx" or "include" or "exists" or "ptr":
                    if (++budget.Lookups > lookupLimit)
                        return new SpfResult(
                            "permerror",
                            budget.Lookups,
                            $"more than {lookupLimit} DNS-querying terms (at '{term}' in {domain})"
                        );
                    var target = arg.StartsWith(':') ? arg[1..].Split('/')[0] : domain;
                    var prefix = arg.Contains('/') ? arg[(arg.IndexOf('/') + 1)..] : null;
                    matched = name switch
                    {
                        "a" => Any(await dns.AddressesAsync(target, ct), address, prefix),
                        "mx" => await MxMatchesAsync(target, address, prefix, budget, ct),
                        "exists" => (await dns.AddressesAsync(target, ct)).Count > 0,
                        "ptr" => false, // discouraged by RFC 7208; never relied on here
                        _ => await IncludeMatchesAsync(address, target, budget, depth, ct) is var inc
                        && inc.Result == "permerror"
                            ? throw new SpfPermError(inc.Explanation)
                            : inc.Result == "pass",
                    };
                    break;
                default:
                    return new SpfResult("permerror", budget.Lookups, $"unknown mechanism '{term}' in {domain}");
            }
            if (matched)
                return new SpfResult(
                    qualifier switch
                    {
                        '+' => "pass",
                        '-' => "fail",
                        '~' => "softfail",
                        _ => "neutral",
                    },
                    budget.Lookups,
                    $"'{term}' of {domain} matched {address}"
                );
        }
        if (redirect is not null)
        {
            if (++budget.Lookups > lookupLimit)
                return new SpfResult(
                    "permerror",
                    budget.Lookups,
                    $"more than {lookupLimit} DNS-querying terms (at redirect={redirect})"
                );
            return await EvaluateAsync(address, redirect, budget, depth + 1, ct);
        }
        return new SpfResult("neutral", budget.Lookups, $"no term of {domain} matched {address}");
    }

    async Task<SpfResult> IncludeMatchesAsync(
        IPAddress address,
        string domain,
        Budget budget,
        int depth,
        CancellationToken ct
    )
    {
        if (depth > 10)
            return new SpfResult("permerror", budget.Lookups, "includes nest too deep");
        try
        {
            var r = await EvaluateAsync(address, domain, budget, depth + 1, ct);
            return r.Result == "none"
                ? r with
                {
                    Result = "permerror",
                    Explanation = $"include:{domain} has no SPF record",
                }
                : r;
        }
        catch (SpfPermError e)
        {
            return new SpfResult("permerror", budget.Lookups, e.Message);
        }
    }

    async Task<bool> MxMatchesAsync(
        string domain,
        IPAddress address,
        string? prefix,
        Budget budget,
        CancellationToken ct
    )
    {
        foreach (var mx in (await dns.MailExchangesAsync(domain, ct)).Take(10))
            if (Any(await dns.AddressesAsync(mx, ct), address, prefix))
                return true;
        return false;
    }

    static bool Any(IReadOnlyList<IPAddress> addresses, IPAddress address, string? prefix) =>
        addresses.Any(a => prefix is null ? a.Equals(address) : CidrContains($"{a}/{prefix}", address));

    public static bool CidrContains(string cidr, IPAddress address)
    {
        var parts = cidr.Split('/');
        if (!IPAddress.TryParse(parts[0], out var network) || network.AddressFamily != address.AddressFamily)
            return false;
        var longest = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var bits = parts.Length > 1 && int.TryParse(parts[1], out var b) ? b : longest;
        // A length out of range compares as the nearest one (no bits, or all of them); host bits are cleared.
        return new IPNetwork(network, Math.Clamp(bits, 0, longest)).Contains(address);
    }

    sealed class SpfPermError(string message) : Exception(message);
}
