using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// Macro strings of RFC 7208 section 7: %{letter digits r delimiters}, %%, %_ and %-. One scanner both checks the
/// syntax (at parse time, so a bad macro anywhere in a record is a permerror before anything is evaluated) and
/// expands. The letters c, r and t belong to explanations only.
/// </summary>
public static class SpfMacros
{
    const string Delimiters = ".-+,/_=";

    /// <summary>Longest domain name (RFC 7208 7.3: longer expansions lose labels on the left).</summary>
    const int MaxDomainLength = 253;

    /// <summary>Throws <see cref="SpfPermErrorException"/> naming the problem when the string is not a valid
    /// macro-string.</summary>
    public static void Validate(string macroString, bool explanation, string where) =>
        Scan(macroString, explanation, null, null, where);

    public static string Expand(string macroString, SpfMacroContext context, bool explanation)
    {
        var output = new StringBuilder();
        Scan(macroString, explanation, context, output, macroString);
        return output.ToString();
    }

    /// <summary>A domain-spec expanded into the name to query: labels dropped on the left past 253 characters,
    /// without the trailing dot.</summary>
    public static string ExpandDomain(string domainSpec, SpfMacroContext context)
    {
        var name = Expand(domainSpec, context, explanation: false).TrimEnd('.');
        while (name.Length > MaxDomainLength && name.IndexOf('.') is var dot and >= 0)
            name = name[(dot + 1)..];
        return name;
    }

    public static bool UsesValidatedName(string macroString) =>
        macroString.Contains("%{p", StringComparison.OrdinalIgnoreCase);

    /// <summary>%{i}: IPv4 dotted, IPv6 as 32 dot-separated nibbles (RFC 7208 7.3).</summary>
    public static string DottedAddress(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Join('.', Convert.ToHexStringLower(address.GetAddressBytes()).Select(c => c.ToString()))
            : address.ToString();

    /// <summary>The name whose PTR records name <paramref name="address"/>.</summary>
    public static string ReverseName(IPAddress address) =>
        string.Join('.', DottedAddress(address).Split('.').Reverse())
        + (address.AddressFamily == AddressFamily.InterNetworkV6 ? ".ip6.arpa" : ".in-addr.arpa");

    static void Scan(string s, bool explanation, SpfMacroContext? context, StringBuilder? output, string where)
    {
        for (int i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is < '!' or > '~' && !(explanation && c == ' '))
                throw Error(where, $"character '{c}' (U+{(int)c:X4}) is not allowed");
            if (c != '%')
            {
                output?.Append(c);
                continue;
            }
            if (++i >= s.Length)
                throw Error(where, "'%' at the end");
            switch (s[i])
            {
                case '%':
                    output?.Append('%');
                    continue;
                case '_':
                    output?.Append(' ');
                    continue;
                case '-':
                    output?.Append("%20");
                    continue;
                case '{':
                    break;
                default:
                    throw Error(where, $"'%{s[i]}' is not a macro (use %% for a percent sign)");
            }
            var close = s.IndexOf('}', i);
            if (close < 0)
                throw Error(where, "'%{' is not closed");
            var body = s[(i + 1)..close];
            i = close;
            var value = Macro(body, explanation, context, where);
            output?.Append(value);
        }
    }

    static string? Macro(string body, bool explanation, SpfMacroContext? context, string where)
    {
        if (body.Length == 0)
            throw Error(where, "'%{}' names no macro letter");
        var letter = body[0];
        var lower = char.ToLowerInvariant(letter);
        if (!"slodiphvcrt".Contains(lower))
            throw Error(where, $"'%{{{body}}}': '{letter}' is not a macro letter");
        if (!explanation && lower is 'c' or 'r' or 't')
            throw Error(where, $"'%{{{body}}}': '{letter}' is allowed only in explanations");
        int j = 1;
        while (j < body.Length && char.IsAsciiDigit(body[j]))
            j++;
        int? keep = null;
        if (j > 1)
        {
            if (!int.TryParse(body[1..j], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
                throw Error(where, $"'%{{{body}}}': the number of parts must be between 1 and {int.MaxValue}");
            keep = n;
        }
        var reverse = j < body.Length && body[j] is 'r' or 'R';
        if (reverse)
            j++;
        var delimiters = body[j..];
        foreach (var d in delimiters)
            if (!Delimiters.Contains(d))
                throw Error(where, $"'%{{{body}}}': '{d}' is not a delimiter (one of {Delimiters})");
        if (context is null)
            return null;
        var value = Value(lower, context);
        var parts = value.Split(delimiters.Length == 0 ? ['.'] : delimiters.ToCharArray());
        if (reverse)
            Array.Reverse(parts);
        if (keep is { } k && k < parts.Length)
            parts = parts[^k..];
        var joined = string.Join('.', parts);
        return char.IsUpper(letter) ? Uri.EscapeDataString(joined) : joined;
    }

    static string Value(char letter, SpfMacroContext c) =>
        letter switch
        {
            's' => $"{c.LocalPart}@{c.SenderDomain}",
            'l' => c.LocalPart,
            'o' => c.SenderDomain,
            'd' => c.Domain,
            'i' => DottedAddress(c.Address),
            'p' => c.ValidatedName,
            'v' => c.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
            'h' => c.Helo,
            'c' => c.Address.ToString(),
            'r' => c.ReceivingHost,
            _ => c.Timestamp.ToString(CultureInfo.InvariantCulture),
        };

    static SpfPermErrorException Error(string where, string problem) => new($"macro in '{where}': {problem}");
}
