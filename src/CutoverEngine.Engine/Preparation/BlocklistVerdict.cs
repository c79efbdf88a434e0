using System.Net;

namespace CutoverEngine.Engine.Preparation;

/// <summary>What a DNS blocklist said about one address.</summary>
public enum BlocklistStatus
{
    /// <summary>NXDOMAIN (or no A record): the address is not listed.</summary>
    NotListed,

    /// <summary>An answer in 127.0.0.2-127.0.0.11: the address is listed (zen.spamhaus.org's return codes).</summary>
    Listed,

    /// <summary>An answer in 127.255.255.0/24, another answer, or no answer at all: the query failed, which says
    /// nothing about the address (Spamhaus answers 127.255.255.x to refused or public-resolver queries).</summary>
    Error,
}

/// <summary>
/// Reading a DNS blocklist's answer (DOMAIN.md, "What verified means"): for zen.spamhaus.org 127.0.0.2-11 are
/// listings, 127.255.255.x are errors, not listings. One home for the rule, used by readiness and its tests.
/// </summary>
public static class BlocklistVerdict
{
    /// <summary>The query name for <paramref name="address"/> on <paramref name="zone"/>: the octets reversed, e.g.
    /// 11.1.20.127.zen.spamhaus.org.</summary>
    public static string QueryName(IPAddress address, string zone) =>
        string.Join('.', address.GetAddressBytes().Reverse()) + "." + zone.TrimEnd('.');

    /// <param name="nameError">The blocklist answered NXDOMAIN.</param>
    /// <param name="answers">The A records it answered (none for NODATA).</param>
    /// <param name="failure">The query failed (timeout, SERVFAIL, REFUSED): the response code, else null.</param>
    public static BlocklistStatus Of(bool nameError, IReadOnlyList<IPAddress> answers, string? failure)
    {
        if (failure is not null)
            return BlocklistStatus.Error;
        if (nameError || answers.Count == 0)
            return BlocklistStatus.NotListed;
        if (answers.Any(IsErrorCode))
            return BlocklistStatus.Error;
        return answers.All(IsListingCode) ? BlocklistStatus.Listed : BlocklistStatus.Error;
    }

    static bool IsListingCode(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return b.Length == 4 && b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] is >= 2 and <= 11;
    }

    static bool IsErrorCode(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return b.Length == 4 && b[0] == 127 && b[1] == 255 && b[2] == 255;
    }
}
