using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>
/// Turns a Route 53 record value (the text form the API takes and returns) into RDATA: A "192.0.2.1",
/// MX "10 mx.example.", TXT "\"v=spf1 -all\" \"more\"", SOA "mname rname serial refresh retry expire minimum", ...
/// A value the sandbox cannot serve fails with a <see cref="DnsFormatException"/> naming type and value.
/// </summary>
public static class Route53RecordText
{
    public static DnsRecordData Parse(string type, string value)
    {
        try
        {
            return type.ToUpperInvariant() switch
            {
                "A" => new DnsAddressData(ParseAddress(value, AddressFamily.InterNetwork)),
                "AAAA" => new DnsAddressData(ParseAddress(value, AddressFamily.InterNetworkV6)),
                "NS" or "CNAME" or "PTR" => new DnsNameData(ParseName(value.Trim())),
                "MX" => ParseMx(Fields(value, 2)),
                "SRV" => ParseSrv(Fields(value, 4)),
                "SOA" => ParseSoa(Fields(value, 7)),
                "TXT" or "SPF" => new DnsTextData(ParseCharacterStrings(value)),
                var other => throw new DnsFormatException($"the sandbox DNS does not serve {other} records"),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or DnsFormatException)
        {
            throw new DnsFormatException($"{type} value '{value}' cannot be served: {ex.Message}");
        }
    }

    static DnsMxData ParseMx(string[] f) => new(ushort.Parse(f[0]), ParseName(f[1]));

    static DnsSrvData ParseSrv(string[] f) =>
        new(ushort.Parse(f[0]), ushort.Parse(f[1]), ushort.Parse(f[2]), ParseName(f[3]));

    static DnsSoaData ParseSoa(string[] f) =>
        new(
            ParseName(f[0]),
            ParseName(f[1]),
            uint.Parse(f[2]),
            uint.Parse(f[3]),
            uint.Parse(f[4]),
            uint.Parse(f[5]),
            uint.Parse(f[6])
        );

    static IPAddress ParseAddress(string value, AddressFamily family)
    {
        var text = value.Trim();
        // IPAddress.Parse also takes "10" or "10.1" (inet_aton forms); Route 53 wants four dotted octets.
        if (
            !IPAddress.TryParse(text, out var ip)
            || ip.AddressFamily != family
            || (family == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3)
        )
            throw new DnsFormatException(
                $"'{text}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address"
            );
        return ip;
    }

    static string ParseName(string name)
    {
        // Route 53 writes '*' as \052 (octal); the wire codec reads \DDD as decimal, so undo it first.
        var n = name.Replace("\\052", "*");
        n = n.EndsWith('.') ? n : n + ".";
        DnsWireWriter.ParseLabels(n); // validates label and name lengths now, not half-way through a response
        return n;
    }

    static string[] Fields(string value, int count)
    {
        var fields = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == count
            ? fields
            : throw new DnsFormatException($"expected {count} fields, found {fields.Length}");
    }

    /// <summary>
    /// Quoted strings ("a" "b"), with \" \\ and \DDD (octal, as Route 53 writes them) escapes inside; an unquoted
    /// value is taken as whitespace-separated words, each its own string.
    /// </summary>
    public static List<byte[]> ParseCharacterStrings(string value)
    {
        var strings = new List<byte[]>();
        var i = 0;
        while (true)
        {
            while (i < value.Length && char.IsWhiteSpace(value[i]))
                i++;
            if (i >= value.Length)
                break;
            var current = new List<byte>();
            var quoted = value[i] == '"';
            if (quoted)
                i++;
            while (true)
            {
                if (i >= value.Length)
                {
                    if (quoted)
                        throw new DnsFormatException("a quoted string is not closed");
                    break;
                }
                var c = value[i];
                if (quoted ? c == '"' : char.IsWhiteSpace(c))
                {
                    if (quoted)
                        i++;
                    break;
                }
                if (c == '\\' && i + 1 < value.Length)
                {
                    if (
                        i + 3 < value.Length
                        && IsOctalDigit(value[i + 1])
                        && IsOctalDigit(value[i + 2])
                        && IsOctalDigit(value[i + 3])
                    )
                    {
                        current.Add((byte)Convert.ToInt32(value.Substring(i + 1, 3), 8));
                        i += 4;
                        continue;
                    }
                    c = value[++i];
                }
                if (c <= 0x7F)
                    current.Add((byte)c);
                else
                    current.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                i++;
            }
            if (current.Count > 255)
                throw new DnsFormatException($"a string of {current.Count} octets is over the limit of 255");
            strings.Add([.. current]);
        }
        if (strings.Count == 0)
            strings.Add([]);
        return strings;
    }

    static bool IsOctalDigit(char c) => c is >= '0' and <= '7';
}
