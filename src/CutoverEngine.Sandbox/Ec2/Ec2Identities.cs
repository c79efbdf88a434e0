using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// Identifiers the world does not model but EC2 answers with: each instance's primary network interface and
/// private address, and the public IPv4 pool of each BYOIP range. All are derived deterministically, so the same
/// topology always shows the same ids and nothing extra has to be stored.
/// </summary>
public static class Ec2Identities
{
    /// <summary>The pool AWS names for Elastic IPs from its own address space.</summary>
    public const string AmazonPool = "amazon";

    /// <summary>The primary network interface of an instance, e.g. eni-0a1b2c3d4e5f60718.</summary>
    public static string NetworkInterfaceOf(string instanceId) => "eni-" + Hash("eni:" + instanceId)[..17];

    /// <summary>The primary private IPv4 address of an instance, in 10.0.0.0/8 (never .0 or .255 in the last
    /// octet).</summary>
    public static string PrivateIpOf(string instanceId)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes("ip:" + instanceId));
        return $"10.{h[0]}.{h[1]}.{1 + h[2] % 254}";
    }

    /// <summary>
    /// The private address an associated Elastic IP maps to. AWS maps one Elastic IP per private address and
    /// AssociateAddress keeps it so; only a topology can start with several on one instance. Then the earliest
    /// association takes the primary private address and later ones a secondary address derived from the allocation id.
    /// </summary>
    public static string? PrivateIpOf(AccountState account, ElasticIpState eip)
    {
        if (eip.InstanceId is null)
            return null;
        var onInstance = AssociatedTo(account, eip.InstanceId);
        if (onInstance.Count == 0 || onInstance[0] == eip)
            return PrivateIpOf(eip.InstanceId);
        var h = SHA256.HashData(Encoding.UTF8.GetBytes("ip:" + eip.InstanceId + ":" + eip.AllocationId));
        var primary = PrivateIpOf(eip.InstanceId);
        var secondary = $"10.{h[0]}.{h[1]}.{1 + h[2] % 254}";
        return secondary == primary ? $"10.{h[0]}.{h[1]}.{1 + (h[2] + 1) % 254}" : secondary;
    }

    /// <summary>The Elastic IPs associated to an instance, earliest association first (association ids grow).</summary>
    public static IReadOnlyList<ElasticIpState> AssociatedTo(AccountState account, string instanceId) =>
        [
            .. account
                .ElasticIps.Values.Where(e => e.InstanceId == instanceId && e.AssociationId is not null)
                .OrderBy(e => e.AssociationId, StringComparer.Ordinal),
        ];

    /// <summary>AWS's internal host name of a private address, e.g. ip-10-1-2-3.ec2.internal.</summary>
    public static string PrivateDnsNameOf(string privateIp, string region) =>
        $"ip-{privateIp.Replace('.', '-')}.{(region == "us-east-1" ? "ec2.internal" : region + ".compute.internal")}";

    /// <summary>AWS's public host name of a public address, e.g. ec2-203-0-113-5.compute-1.amazonaws.com.</summary>
    public static string PublicDnsNameOf(string publicIp, string region) =>
        $"ec2-{publicIp.Replace('.', '-')}.{(region == "us-east-1" ? "compute-1" : region + ".compute")}.amazonaws.com";

    /// <summary>Stable ids derived from an instance id: reservation r-..., ENI attachment eni-attach-....</summary>
    public static string ReservationOf(string instanceId) => "r-" + Hash("r:" + instanceId)[..17];

    public static string AttachmentOf(string instanceId) => "eni-attach-" + Hash("attach:" + instanceId)[..17];

    /// <summary>
    /// The public IPv4 pool AWS creates when a BYOIP range is provisioned, e.g. ipv4pool-ec2-7f640000180000000
    /// for 127.100.0.0/24: the range's first address and prefix length in hex, so a reader can tell which range it is.
    /// </summary>
    public static string PoolIdOf(IpRange range)
    {
        var size = (ulong)range.Last - range.First + 1;
        var bits = 32 - BitOperations.Log2(size);
        return $"ipv4pool-ec2-{range.First:x8}{bits:x2}".PadRight("ipv4pool-ec2-".Length + 17, '0');
    }

    /// <summary>The BYOIP range of <paramref name="account"/> that <paramref name="poolId"/> names: by its derived id,
    /// or by
    /// the pool name the topology gave the range's Elastic IPs.</summary>
    public static ByoipRangeState? RangeOfPool(AccountState account, string poolId) =>
        account.ByoipRanges.Values.FirstOrDefault(r => PoolIdOf(r.Range) == poolId)
        ?? account.ByoipRanges.Values.FirstOrDefault(r =>
            account.ElasticIps.Values.Any(e => e.PublicIpv4Pool == poolId && r.Range.Contains(e.PublicIp))
        );

    /// <summary>The pool an Elastic IP came from as DescribeAddresses shows it.</summary>
    public static string PoolOf(AccountState account, ElasticIpState eip) =>
        eip.PublicIpv4Pool
        ?? (
            account.ByoipRanges.Values.FirstOrDefault(r => r.Range.Contains(eip.PublicIp)) is { } range
                ? PoolIdOf(range.Range)
                : AmazonPool
        );

    /// <summary>The instance whose primary network interface is <paramref name="networkInterfaceId"/>, if
    /// any.</summary>
    public static string? InstanceOfNetworkInterface(AccountState account, string networkInterfaceId) =>
        account.Instances.Keys.FirstOrDefault(i => NetworkInterfaceOf(i) == networkInterfaceId);

    public static bool IsIpv4(string text, out IPAddress address) =>
        IPAddress.TryParse(text, out address!)
        && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && text.Count(c => c == '.') == 3;

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
