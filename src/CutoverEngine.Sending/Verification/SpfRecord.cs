using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// A parsed SPF record (RFC 7208 sections 4.5-4.6, 5, 6, 12 ABNF). <see cref="Parse"/> checks the whole record
/// first, since a syntax error anywhere makes check_host() a permerror before any term is evaluated.
/// </summary>
public sealed partial class SpfRecord
{
    SpfRecord(IReadOnlyList<SpfMechanism> mechanisms, string? redirect, string? explanation)
    {
        Mechanisms = mechanisms;
        Redirect = redirect;
        Explanation = explanation;
    }

    public IReadOnlyList<SpfMechanism> Mechanisms { get; }

    /// <summary>The redirect= domain-spec, or null.</summary>
    public string? Redirect { get; }

    /// <summary>The exp= domain-spec, or null (it never changes the result).</summary>
    public string? Explanation { get; }

    /// <summary>True when <paramref name="text"/> is an SPF record at all: "v=spf1" alone or followed by a
    /// space.</summary>
    public static bool IsSpf(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    /// <summary>Parses <paramref name="text"/> (of <paramref name="domain"/>, for messages); throws
    /// <see cref="SpfPermErrorException"/> naming the first term in error.</summary>
    public static SpfRecord Parse(string text, string domain)
    {
        if (!IsSpf(text))
            throw new SpfPermErrorException($"the record of {domain} does not start with 'v=spf1 '");
        var mechanisms = new List<SpfMechanism>();
        string? redirect = null,
            explanation = null;
        foreach (var term in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (ModifierPattern().Match(term) is { Success: true } modifier)
            {
                var name = modifier.Groups[1].Value.ToLowerInvariant();
                var value = term[(modifier.Length)..];
                switch (name)
                {
                    case "redirect":
                        ValidateDomainSpec(value, term, domain);
                        redirect = redirect is null ? value : throw Duplicate(term, domain);
                        break;
                    case "exp":
                        ValidateDomainSpec(value, term, domain);
                        explanation = explanation is null ? value : throw Duplicate(term, domain);
                        break;
                    default:
                        // Unknown modifiers are ignored (RFC 7208 6), but their value is still a macro-string.
                        SpfMacros.Validate(value, explanation: false, $"{term} in {domain}");
                        break;
                }
                continue;
            }
            mechanisms.Add(ParseDirective(term, domain));
        }
        return new SpfRecord(mechanisms, redirect, explanation);
    }

    static SpfMechanism ParseDirective(string term, string domain)
    {
        var qualified = term[0] is '+' or '-' or '~' or '?';
        var qualifier = qualified ? term[0] : '+';
        var body = qualified ? term[1..] : term;
        var end = body.IndexOfAny([':', '/']);
        var name = (end < 0 ? body : body[..end]).ToLowerInvariant();
        var rest = end < 0 ? "" : body[end..];
        switch (name)
        {
            case "all":
                return rest.Length == 0
                    ? new SpfMechanism(qualifier, name, null, 32, 128, null, term)
                    : throw Syntax(term, domain, "'all' takes no argument");
            case "include" or "exists":
                if (!rest.StartsWith(':') || rest.Length == 1)
                    throw Syntax(term, domain, $"'{name}' needs ':' and a domain");
                ValidateDomainSpec(rest[1..], term, domain);
                return new SpfMechanism(qualifier, name, rest[1..], 32, 128, null, term);
            case "ptr":
                string? ptrTarget = null;
                if (rest.Length > 0)
                {
                    if (!rest.StartsWith(':') || rest.Length == 1)
                        throw Syntax(term, domain, "'ptr' takes only ':' and a domain");
                    ptrTarget = rest[1..];
                    ValidateDomainSpec(ptrTarget, term, domain);
                }
                return new SpfMechanism(qualifier, name, ptrTarget, 32, 128, null, term);
            case "a" or "mx":
                return ParseAddressLookup(qualifier, name, rest, term, domain);
            case "ip4" or "ip6":
                return ParseNetwork(qualifier, name, rest, term, domain);
            default:
                throw Syntax(term, domain, $"'{name}' is not a mechanism");
        }
    }

    /// <summary>a and mx: [":" domain-spec] ["/" ip4-cidr-length] ["//" ip6-cidr-length].</summary>
    static SpfMechanism ParseAddressLookup(char qualifier, string name, string rest, string term, string domain)
    {
        var m = DualCidrPattern().Match(rest);
        string? spec = null;
        if (m.Groups["spec"].Value is { Length: > 0 } s)
        {
            if (!s.StartsWith(':') || s.Length == 1)
                throw Syntax(term, domain, $"'{name}' takes ':' and a domain, then prefix lengths");
            spec = s[1..];
            ValidateDomainSpec(spec, term, domain);
        }
        var v4 = m.Groups["v4"].Success ? PrefixLength(m.Groups["v4"].Value, 32, term, domain) : 32;
        var v6 = m.Groups["v6"].Success ? PrefixLength(m.Groups["v6"].Value, 128, term, domain) : 128;
        return new SpfMechanism(qualifier, name, spec, v4, v6, null, term);
    }

    static SpfMechanism ParseNetwork(char qualifier, string name, string rest, string term, string domain)
    {
        if (!rest.StartsWith(':'))
            throw Syntax(term, domain, $"'{name}' needs ':' and an address");
        var value = rest[1..];
        var slash = value.IndexOf('/');
        var text = slash < 0 ? value : value[..slash];
        var v4 = name == "ip4";
        var longest = v4 ? 32 : 128;
        var length = slash < 0 ? longest : PrefixLength(value[(slash + 1)..], longest, term, domain);
        var valid =
            IPAddress.TryParse(text, out var address)
            && (
                v4
                    ? Ip4Pattern().IsMatch(text)
                    : !text.Contains('%') && address.AddressFamily == AddressFamily.InterNetworkV6
            );
        if (!valid || address is null)
            throw Syntax(term, domain, $"'{text}' is not an {(v4 ? "IPv4" : "IPv6")} address");
        // Host bits past the prefix are allowed in a record; the network is the one the address lies in.
        return new SpfMechanism(qualifier, name, null, 32, 128, NetworkOf(address, length), term);
    }

    /// <summary>The network of <paramref name="length"/> bits that <paramref name="address"/> lies in.</summary>
    internal static IPNetwork NetworkOf(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (int bit = length; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), length);
    }

    static int PrefixLength(string digits, int longest, string term, string domain) =>
        PrefixPattern().IsMatch(digits)
        && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        && n <= longest
            ? n
            : throw Syntax(term, domain, $"'/{digits}' is not a prefix length from 0 to {longest}");

    /// <summary>domain-spec = macro-string domain-end; domain-end = "." toplabel ["."] / macro-expand.</summary>
    static void ValidateDomainSpec(string spec, string term, string domain)
    {
        if (spec.Length == 0)
            throw Syntax(term, domain, "the domain is empty");
        SpfMacros.Validate(spec, explanation: false, $"{term} in {domain}");
        if (spec.EndsWith('}') || MacroEndPattern().IsMatch(spec))
            return;
        var trimmed = spec.EndsWith('.') ? spec[..^1] : spec;
        var dot = trimmed.LastIndexOf('.');
        if (dot < 0 || !TopLabelPattern().IsMatch(trimmed[(dot + 1)..]))
            throw Syntax(term, domain, $"'{spec}' does not end in a top-level label or a macro");
    }

    static SpfPermErrorException Duplicate(string term, string domain) =>
        Syntax(term, domain, "the modifier appears twice");

    static SpfPermErrorException Syntax(string term, string domain, string problem) =>
        new($"syntax error at '{term}' in the record of {domain}: {problem}");

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9_.-]*)=")]
    private static partial Regex ModifierPattern();

    [GeneratedRegex("^(?<spec>.*?)(?:/(?<v4>[0-9]+))?(?://(?<v6>[0-9]+))?$")]
    private static partial Regex DualCidrPattern();

    [GeneratedRegex("^(?:0|[1-9][0-9]{0,2})$")]
    private static partial Regex PrefixPattern();

    const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";

    [GeneratedRegex("^(?:" + Octet + "\\.){3}" + Octet + "$")]
    private static partial Regex Ip4Pattern();

    [GeneratedRegex("^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$")]
    private static partial Regex TopLabelPattern();

    [GeneratedRegex("%[%_-]$")]
    private static partial Regex MacroEndPattern();
}
