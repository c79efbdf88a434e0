using System.Net;

namespace CutoverEngine.Sandbox.World;

public readonly record struct IpRange(uint First, uint Last)
{
    public static bool TryParse(string cidr, out IpRange range)
    {
        range = default;
        var parts = cidr.Split('/');
        if (
            parts.Length != 2
            || !IPAddress.TryParse(parts[0], out var ip)
            || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var bits)
            || bits is < 0 or > 32
        )
            return false;
        // The constructor clears host bits (since .NET 10), so 127.30.0.5/24 is 127.30.0.0/24 as before.
        var network = new IPNetwork(ip, bits);
        var first = ToUInt(network.BaseAddress);
        range = new IpRange(first, first + (uint)((1UL << (32 - bits)) - 1));
        return true;
    }

    public bool Contains(IPAddress ip) =>
        ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && ToUInt(ip) is var v
        && v >= First
        && v <= Last;

    public static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    public static IPAddress FromUInt(uint v) => new([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
}
