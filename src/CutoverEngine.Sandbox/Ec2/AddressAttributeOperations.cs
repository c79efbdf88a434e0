using System.Text.RegularExpressions;
using System.Xml.Linq;
using CutoverEngine.Sandbox.World;
using static CutoverEngine.Sandbox.Ec2.Ec2Xml;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// Reverse DNS of Elastic IPs: ModifyAddressAttribute, ResetAddressAttribute, DescribeAddressesAttribute
/// (attribute <c>domain-name</c>). Like AWS, a PTR name is accepted only when its forward A record already
/// resolves to the address; the world's reverse zone answers with it at once.
/// </summary>
public static partial class AddressAttributeOperations
{
    const string DomainNameAttribute = "domain-name";

    public static IEnumerable<XElement?> Modify(Ec2Context c)
    {
        var r = c.Request;
        var eip = AddressOperations.ElasticIpOf(c, r.Required("AllocationId"), null);
        var requested = r.Required("DomainName");
        var name = DnsName.Normalize(requested);
        if (name.Length > 254 || !HostName().IsMatch(name))
            throw Ec2Error.InvalidParameterValue($"DomainName '{requested}' is not a valid host name.");
        RefuseByoip(c, eip);

        var ip = eip.PublicIp.ToString();
        var answer = c.World.ResolveAuthoritative(name, "A");
        var forward = answer.Records.Where(s => s.Type == "A").SelectMany(s => s.Values).ToList();
        if (answer.Outcome != DnsOutcome.Answer || !forward.Contains(ip))
            throw Ec2Error.InvalidParameterValue(
                $"Cannot set the reverse DNS of {ip} ({eip.AllocationId}) to '{name}': the forward record {DescribeForward(name, answer, forward)}. "
                    + "AWS sets reverse DNS only when the name's A record resolves to the address: create the A record first and wait until the change is INSYNC."
            );
        r.ThrowIfDryRun();

        eip.ReverseDns = name;
        return [AttributeItem("address", c.Account, eip)];
    }

    public static IEnumerable<XElement?> Reset(Ec2Context c)
    {
        var r = c.Request;
        var eip = AddressOperations.ElasticIpOf(c, r.Required("AllocationId"), null);
        CheckAttribute(r.Required("Attribute"));
        RefuseByoip(c, eip);
        r.ThrowIfDryRun();
        eip.ReverseDns = null;
        return [AttributeItem("address", c.Account, eip)];
    }

    public static IEnumerable<XElement?> Describe(Ec2Context c)
    {
        var r = c.Request;
        if (r.Optional("Attribute") is { } attribute)
            CheckAttribute(attribute);
        var allocationIds = r.List("AllocationId");
        foreach (var id in allocationIds)
            if (!c.Account.ElasticIps.ContainsKey(id))
                throw Ec2Error.AllocationNotFound(id);
        var max = r.Integer("MaxResults") ?? 1000;
        if (max is < 1 or > 1000)
            throw Ec2Error.InvalidParameterValue(
                $"Value ({max}) for parameter MaxResults is invalid. Expected a value between 1 and 1000."
            );
        r.ThrowIfDryRun();

        var all = c
            .Account.ElasticIps.Values.Where(e => allocationIds.Count == 0 || allocationIds.Contains(e.AllocationId))
            .OrderBy(e => IpRange.ToUInt(e.PublicIp))
            .ToList();
        var start = 0;
        if (r.Optional("NextToken") is { } token)
        {
            var after = uint.Parse(
                Paging.Decode(token, "address", k => uint.TryParse(k, out _)),
                System.Globalization.CultureInfo.InvariantCulture
            );
            start = all.FindIndex(e => IpRange.ToUInt(e.PublicIp) >= after);
            if (start < 0)
                start = all.Count;
        }
        var page = all.Skip(start).Take(max).ToList();
        var next =
            start + page.Count < all.Count
                ? Paging.Encode(
                    "address",
                    IpRange
                        .ToUInt(all[start + page.Count].PublicIp)
                        .ToString(System.Globalization.CultureInfo.InvariantCulture)
                )
                : null;
        return [Set("addressSet", page.Select(e => AttributeItem("item", c.Account, e))), Leaf("nextToken", next)];
    }

    static XElement AttributeItem(string element, AccountState account, ElasticIpState eip) =>
        Struct(
            element,
            Leaf("publicIp", eip.PublicIp.ToString()),
            Leaf("allocationId", eip.AllocationId),
            // BYOIP addresses have no AWS-managed PTR record: their reverse zone is the range owner's.
            Leaf("ptrRecord", IsByoip(account, eip) ? null : eip.ReverseDns ?? eip.DefaultReverseDns(account.Region))
        );

    static void CheckAttribute(string attribute)
    {
        if (attribute != DomainNameAttribute)
            throw Ec2Error.InvalidParameterValue(
                $"Attribute '{attribute}' is not supported; the only address attribute is '{DomainNameAttribute}'."
            );
    }

    static bool IsByoip(AccountState account, ElasticIpState eip) =>
        eip.PublicIpv4Pool is not null || account.ByoipRanges.Values.Any(b => b.Range.Contains(eip.PublicIp));

    static void RefuseByoip(Ec2Context c, ElasticIpState eip)
    {
        if (IsByoip(c.Account, eip))
            throw Ec2Error.InvalidParameterValue(
                $"{eip.PublicIp} ({eip.AllocationId}) comes from BYOIP pool {Ec2Identities.PoolOf(c.Account, eip)}: its reverse DNS is served by the range's owner through the RIR's in-addr.arpa delegation, not set through EC2."
            );
    }

    static string DescribeForward(string name, DnsAnswer answer, List<string> forward) =>
        answer.Outcome switch
        {
            DnsOutcome.Refused => $"'{name}' is in no hosted zone the sandbox serves",
            DnsOutcome.NameError => $"'{name}' does not exist (NXDOMAIN in zone {answer.Zone?.Name})",
            DnsOutcome.NoData => $"'{name}' has no A record",
            _ when forward.Count == 0 => $"'{name}' has no A record at the end of its CNAME chain",
            _ => $"'{name}' A resolves to {string.Join(", ", forward)}",
        };

    [GeneratedRegex(@"^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
