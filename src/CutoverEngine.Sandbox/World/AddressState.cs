using System.Net;

namespace CutoverEngine.Sandbox.World;

/// <summary>An Elastic IP. Mutable under the world's gate.</summary>
public sealed class ElasticIpState
{
    public required string AllocationId { get; init; }
    public required IPAddress PublicIp { get; init; }
    public required string AccountId { get; init; }
    public string? PublicIpv4Pool { get; init; }
    public string? InstanceId { get; set; }
    public string? AssociationId { get; set; }
    /// <summary>Reverse DNS name set with ModifyAddressAttribute; null means AWS's default ec2-a-b-c-d name.</summary>
    public string? ReverseDns { get; set; }

    public string DefaultReverseDns(string region) =>
        $"ec2-{PublicIp.ToString().Replace('.', '-')}.{(region == "us-east-1" ? "compute-1" : region + ".compute")}.amazonaws.com.";
}

/// <summary>
/// A BYOIP range. Advertise and withdraw take <c>ByoipPropagationSeconds</c> to reach the world's routers:
/// until then the range is pending-advertising / pending-withdrawal and traffic still goes where it went.
/// </summary>
public sealed class ByoipRangeState
{
    public required string Cidr { get; init; }
    public required string AccountId { get; init; }
    public required IpRange Range { get; init; }
    public string State { get; set; } = "provisioned";
    public DateTimeOffset? TransitionAt { get; set; }
    public string? StatusMessage { get; set; }

    /// <summary>The state as the world sees it at <paramref name="now"/>, settling pending transitions lazily.</summary>
    public string StateAt(DateTimeOffset now)
    {
        if (TransitionAt is { } at && now >= at)
        {
            State = State switch { "pending-advertising" => "advertised", "pending-withdrawal" => "provisioned", var s => s };
            TransitionAt = null;
        }
        return State;
    }

    /// <summary>True while AWS announces the range (BGP has converged on AWS).</summary>
    public bool IsAnnouncedByAwsAt(DateTimeOffset now) => StateAt(now) is "advertised" or "pending-withdrawal";
}

public readonly record struct IpRange(uint First, uint Last)
{
    public static bool TryParse(string cidr, out IpRange range)
    {
        range = default;
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var bits) || bits is < 0 or > 32)
            return false;
        // The constructor clears host bits (since .NET 10), so 127.30.0.5/24 is 127.30.0.0/24 as before.
        var network = new IPNetwork(ip, bits);
        var first = ToUInt(network.BaseAddress);
        range = new IpRange(first, first + (uint)((1UL << (32 - bits)) - 1));
        return true;
    }

    public bool Contains(IPAddress ip) => ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ToUInt(ip) is var v && v >= First && v <= Last;

    public static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    public static IPAddress FromUInt(uint v) => new([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
}
