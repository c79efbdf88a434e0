namespace CutoverEngine.Sandbox.Dns;

/// <summary>RR type numbers (RFC 1035, 3596, 2782, 6891, 8659) and their mnemonics as Route 53 spells them.</summary>
public static class DnsRecordType
{
    public const ushort A = 1;
    public const ushort NS = 2;
    public const ushort CNAME = 5;
    public const ushort SOA = 6;
    public const ushort PTR = 12;
    public const ushort MX = 15;
    public const ushort TXT = 16;
    public const ushort AAAA = 28;
    public const ushort SRV = 33;
    public const ushort NAPTR = 35;
    public const ushort DS = 43;
    public const ushort OPT = 41;
    public const ushort SPF = 99;
    public const ushort IXFR = 251;
    public const ushort AXFR = 252;
    public const ushort MAILB = 253;
    public const ushort MAILA = 254;
    public const ushort ANY = 255;
    public const ushort CAA = 257;

    static readonly Dictionary<ushort, string> Mnemonics = new()
    {
        [A] = "A",
        [NS] = "NS",
        [CNAME] = "CNAME",
        [SOA] = "SOA",
        [PTR] = "PTR",
        [MX] = "MX",
        [TXT] = "TXT",
        [AAAA] = "AAAA",
        [SRV] = "SRV",
        [NAPTR] = "NAPTR",
        [DS] = "DS",
        [OPT] = "OPT",
        [SPF] = "SPF",
        [IXFR] = "IXFR",
        [AXFR] = "AXFR",
        [MAILB] = "MAILB",
        [MAILA] = "MAILA",
        [ANY] = "ANY",
        [CAA] = "CAA",
    };

    static readonly Dictionary<string, ushort> Numbers = Mnemonics.ToDictionary(
        p => p.Value,
        p => p.Key,
        StringComparer.OrdinalIgnoreCase
    );

    /// <summary>"A", "MX", ... or RFC 3597's "TYPE65280" for types without a mnemonic.</summary>
    public static string ToMnemonic(ushort type) => Mnemonics.TryGetValue(type, out var m) ? m : $"TYPE{type}";

    public static bool TryParse(string mnemonic, out ushort type)
    {
        if (Numbers.TryGetValue(mnemonic, out type))
            return true;
        return mnemonic.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(mnemonic.AsSpan(4), out type);
    }
}

/// <summary>Header RCODE values (RFC 1035 4.1.1), plus BADVERS which needs EDNS's extended bits (RFC 6891).</summary>
public enum DnsResponseCode
{
    NoError = 0,
    FormatError = 1,
    ServerFailure = 2,
    NameError = 3,
    NotImplemented = 4,
    Refused = 5,
    BadVersion = 16,
}

public static class DnsOpcode
{
    public const byte Query = 0;
    public const byte InverseQuery = 1;
    public const byte Status = 2;
    public const byte Notify = 4;
    public const byte Update = 5;
}

public static class DnsClass
{
    public const ushort IN = 1;
    public const ushort CH = 3;
    public const ushort ANY = 255;
}

/// <summary>A DNS message (or a name or record inside one) that cannot be read or written; the message says what and
/// where.</summary>
public sealed class DnsFormatException(string message) : Exception(message);
