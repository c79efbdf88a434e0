using System.Net;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>A (IPv4) or AAAA (IPv6).</summary>
public sealed record DnsAddressData(IPAddress Address) : DnsRecordData
{
    internal override void Write(DnsWireWriter w) => w.WriteBytes(Address.GetAddressBytes());

    public override string ToString() => Address.ToString();
}
