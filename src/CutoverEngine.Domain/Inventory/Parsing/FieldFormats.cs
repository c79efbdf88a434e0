using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>The textual formats of inventory values: AWS identifiers, DNS names, IPv4 addresses and ranges.</summary>
internal static partial class FieldFormats
{
    [GeneratedRegex("^[0-9]{12}$")]
    public static partial Regex AccountId();

    // Commercial, GovCloud and China partitions: us-east-1, us-gov-west-1, ap-southeast-2, cn-north-1.
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")]
    public static partial Regex Region();

    [GeneratedRegex("^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    public static partial Regex EnvironmentId();

    [GeneratedRegex("^Z[A-Z0-9]{1,31}$")]
    public static partial Regex HostedZoneId();

    [GeneratedRegex("^i-[0-9a-f]{8,17}$")]
    public static partial Regex InstanceId();

    [GeneratedRegex("^eipalloc-[0-9a-f]{8,17}$")]
    public static partial Regex AllocationId();

    [GeneratedRegex("^(?!-)[a-z0-9-]{1,63}(?<!-)$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}$")]
    private static partial Regex DottedQuad();

    /// <summary>
    /// A host or zone name: letters, digits and hyphens in labels of 1-63 characters, at most 253 in all.
    /// Returns it lower case without the trailing dot, the one spelling used everywhere after loading.
    /// </summary>
    public static bool TryDnsName(string text, out string name)
    {
        name = text.TrimEnd('.').ToLowerInvariant();
        return name.Length is > 0 and <= 253 && name.Split('.').All(label => DnsLabel().IsMatch(label));
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="zone"/> or a name below it (both
    /// normalized).</summary>
    public static bool IsWithinZone(string name, string zone) =>
        name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);

    /// <summary>Strict dotted-quad IPv4: "127.1" or "0x7f.0.0.1", which IPAddress.Parse also accepts, are
    /// refused.</summary>
    public static bool TryIpv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (!DottedQuad().IsMatch(text))
            return false;
        foreach (var part in text.Split('.'))
        {
            if ((part.Length > 1 && part[0] == '0') || int.Parse(part, CultureInfo.InvariantCulture) > 255)
                return false;
        }
        address = IPAddress.Parse(text);
        return true;
    }

    public enum CidrProblem
    {
        None,
        Syntax,
        HostBitsSet,
    }

    /// <summary>An IPv4 range a.b.c.d/n whose address is the range's first address (no host bits set).</summary>
    public static CidrProblem TryIpv4Cidr(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/');
        if (
            slash < 0
            || !TryIpv4(text[..slash], out var baseAddress)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix is < 0 or > 32
        )
            return CidrProblem.Syntax;

        // Since .NET 10 the constructor clears the bits after the prefix: the range the address lies in.
        network = new IPNetwork(baseAddress, prefix);
        return network.BaseAddress.Equals(baseAddress) ? CidrProblem.None : CidrProblem.HostBitsSet;
    }

    /// <summary>An absolute http or https URL with a host.</summary>
    public static bool TryHttpUrl(string text, out Uri url)
    {
        url = null!;
        if (
            !Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.Host.Length == 0
        )
            return false;
        url = parsed;
        return true;
    }

    /// <summary>local@domain with a DNS-name domain; enough for an SMTP envelope address.</summary>
    public static bool TryMailAddress(string text, out string address)
    {
        address = text;
        var at = text.LastIndexOf('@');
        if (at <= 0 || at > 64 || text[..at].Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>'))
            return false;
        if (!TryDnsName(text[(at + 1)..], out var domain))
            return false;
        address = text[..at] + "@" + domain;
        return true;
    }

    /// <summary>
    /// A notice contact: "local@domain" or "Display Name &lt;local@domain&gt;", the address in ASCII; the name may be
    /// quoted, any Unicode text without control characters, angle brackets or inner quotes (encoded on the wire).
    /// </summary>
    public static bool TryContact(string text, out string address, out string? displayName)
    {
        displayName = null;
        var trimmed = text.Trim();
        var open = trimmed.IndexOf('<');
        // ASCII addresses only: a relay without SMTPUTF8 cannot carry any other.
        if (open < 0)
            return TryMailAddress(trimmed, out address) && Ascii.IsValid(address);
        address = "";
        if (!trimmed.EndsWith('>') || !TryMailAddress(trimmed[(open + 1)..^1], out address) || !Ascii.IsValid(address))
            return false;
        var name = trimmed[..open].Trim();
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"')
            name = name[1..^1].Trim();
        if (name.Any(c => char.IsControl(c) || c is '<' or '>' or '"'))
            return false;
        displayName = name.Length == 0 ? null : name;
        return true;
    }
}
