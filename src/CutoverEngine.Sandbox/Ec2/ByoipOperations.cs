using System.Xml.Linq;
using CutoverEngine.Sandbox.World;
using static CutoverEngine.Sandbox.Ec2.Ec2Xml;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// BYOIP calls: AdvertiseByoipCidr, WithdrawByoipCidr, DescribeByoipCidrs. Advertise and withdraw start a BGP
/// change that takes <c>ByoipPropagationSeconds</c>; the range is pending-advertising / pending-withdrawal meanwhile
/// and traffic still flows the old way (see <see cref="ByoipRangeState"/>). The once-per-10-seconds rule is the
/// edge's Ec2Byoip token bucket.
/// </summary>
public static class ByoipOperations
{
    /// <summary>AWS advertises no IPv4 prefix more specific than a /24: BGP peers filter longer ones.</summary>
    public const int MaxAdvertisedIpv4PrefixLength = 24;

    public static IEnumerable<XElement?> Advertise(Ec2Context c)
    {
        var cidr = c.Request.Required("Cidr");
        var range = RangeOf(c, cidr);
        if (PrefixLength(range.Range) > MaxAdvertisedIpv4PrefixLength)
            throw Ec2Error.InvalidParameterValue(
                $"The CIDR {range.Cidr} cannot be advertised: the most specific IPv4 prefix that can be advertised is "
                    + $"/{MaxAdvertisedIpv4PrefixLength}."
            );
        var state = range.StateAt(c.Now);
        if (state == "pending-withdrawal")
            throw new Ec2Error(
                400,
                "IncorrectState",
                $"BYOIP CIDR {range.Cidr} is pending-withdrawal; advertise it again once the withdrawal has propagated (state provisioned)."
            );
        c.Request.ThrowIfDryRun();
        c.Account.LastByoipCallAt = c.Now;
        // Advertising a range that is advertised or on its way there changes nothing: the call answers its state.
        if (state == "provisioned")
            Begin(c, range, "pending-advertising", "advertised");
        return [ByoipCidrItem("byoipCidr", range, c.Now)];
    }

    public static IEnumerable<XElement?> Withdraw(Ec2Context c)
    {
        var range = RangeOf(c, c.Request.Required("Cidr"));
        var state = range.StateAt(c.Now);
        if (state == "pending-advertising")
            throw new Ec2Error(
                400,
                "IncorrectState",
                $"BYOIP CIDR {range.Cidr} is pending-advertising; withdraw it once the advertisement has propagated (state advertised)."
            );
        c.Request.ThrowIfDryRun();
        c.Account.LastByoipCallAt = c.Now;
        if (state == "advertised")
            Begin(c, range, "pending-withdrawal", "provisioned");
        return [ByoipCidrItem("byoipCidr", range, c.Now)];
    }

    public static IEnumerable<XElement?> Describe(Ec2Context c)
    {
        var r = c.Request;
        var max = r.Integer("MaxResults") ?? throw Ec2Error.MissingParameter("MaxResults");
        if (max is < 1 or > 100)
            throw Ec2Error.InvalidParameterValue(
                $"Value ({max}) for parameter MaxResults is invalid. Expected a value between 1 and 100."
            );
        var all = c.Account.ByoipRanges.Values.OrderBy(b => b.Range.First).ThenBy(b => b.Range.Last).ToList();
        var start = 0;
        if (r.Optional("NextToken") is { } token)
        {
            // The token was checked by Paging.Decode, so it parses.
            _ = IpRange.TryParse(Paging.Decode(token, "byoip", k => IpRange.TryParse(k, out _)), out var after);
            start = all.FindIndex(b =>
                b.Range.First > after.First || (b.Range.First == after.First && b.Range.Last >= after.Last)
            );
            if (start < 0)
                start = all.Count;
        }
        r.ThrowIfDryRun();
        var page = all.Skip(start).Take(max).ToList();
        var next = start + page.Count < all.Count ? Paging.Encode("byoip", all[start + page.Count].Cidr) : null;
        return [Set("byoipCidrSet", page.Select(b => ByoipCidrItem("item", b, c.Now))), Leaf("nextToken", next)];
    }

    static void Begin(Ec2Context c, ByoipRangeState range, string pending, string settled)
    {
        var propagation = TimeSpan.FromSeconds(Math.Max(0, c.World.Settings.ByoipPropagationSeconds));
        range.StatusMessage = null;
        if (propagation == TimeSpan.Zero)
        {
            range.State = settled;
            range.TransitionAt = null;
            return;
        }
        range.State = pending;
        range.TransitionAt = c.Now + propagation;
    }

    static int PrefixLength(IpRange range) => 32 - (int)Math.Log2((double)range.Last - range.First + 1);

    static ByoipRangeState RangeOf(Ec2Context c, string cidr)
    {
        if (!IpRange.TryParse(cidr, out var wanted))
            throw Ec2Error.InvalidParameterValue($"Cidr '{cidr}' is not a valid IPv4 CIDR (e.g. 203.0.113.0/24).");
        return c.Account.ByoipRanges.Values.FirstOrDefault(b => b.Range == wanted)
            ?? throw Ec2Error.InvalidParameterValue(
                $"The BYOIP CIDR '{cidr}' is not provisioned in account {c.Account.Id} ({c.Account.Region}); provisioned: "
                    + (c.Account.ByoipRanges.Count == 0 ? "none" : string.Join(", ", c.Account.ByoipRanges.Keys))
            );
    }

    static XElement ByoipCidrItem(string element, ByoipRangeState range, DateTimeOffset now) =>
        Struct(
            element,
            Leaf("cidr", range.Cidr),
            Leaf("statusMessage", range.StatusMessage),
            Leaf("state", range.StateAt(now))
        );
}
