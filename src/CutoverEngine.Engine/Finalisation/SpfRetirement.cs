using System.Net;
using System.Net.Sockets;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>What taking the old addresses out of an SPF record does: its text before and after, the mechanisms
/// removed, and the ones that authorise an old address but stay, each with why.</summary>
public sealed record SpfRetirementResult(
    string Before,
    string After,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Kept
);

/// <summary>
/// Taking the data-centre addresses out of the sending domain's SPF record once the environment sends from AWS
/// for good. An ip mechanism goes only when it authorises an old address and no address still in use (the new
/// ones), and is no wider than the configured prefix: a wider network may cover senders this tool does not know
/// of, so it stays and is reported for a person to decide. Pure: the same record gives the same text, so a replay
/// removes nothing twice.
/// </summary>
public static class SpfRetirement
{
    /// <exception cref="SpfPermErrorException">The record is not valid SPF (nothing is to be written).</exception>
    public static SpfRetirementResult Retire(
        string record,
        string domain,
        IReadOnlyList<IPAddress> oldAddresses,
        IReadOnlyList<IPAddress> inUse,
        int widestIpv4Prefix
    )
    {
        var parsed = SpfRecord.Parse(record, domain);
        var terms = record.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var removed = new List<string>();
        var kept = new List<string>();
        foreach (var m in parsed.Mechanisms)
        {
            if (m is not { Network: { } network } || m.Qualifier != '+')
                continue;
            var old = oldAddresses.Where(a => Covers(network, a)).ToList();
            if (old.Count == 0)
                continue;
            if (inUse.FirstOrDefault(a => Covers(network, a)) is { } used)
            {
                kept.Add($"{m.Text}: also authorises {used}, which the environment sends from now");
                continue;
            }
            var widest = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? widestIpv4Prefix : 64;
            if (network.PrefixLength < widest)
            {
                kept.Add(
                    $"{m.Text}: wider than /{widest}, it may cover senders other than the old MTAs; remove it by hand once the range is retired"
                );
                continue;
            }
            var at = terms.FindIndex(t => string.Equals(t, m.Text, StringComparison.OrdinalIgnoreCase));
            if (at < 0)
                continue;
            terms.RemoveAt(at);
            removed.Add(m.Text);
        }
        return new SpfRetirementResult(record, removed.Count == 0 ? record : string.Join(' ', terms), removed, kept);
    }

    static bool Covers(IPNetwork network, IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return a.AddressFamily == network.BaseAddress.AddressFamily && network.Contains(a);
    }
}
