namespace CutoverEngine.Sandbox.Dns;

/// <summary>NS, CNAME or PTR: one domain name, compressible (RFC 3597 4).</summary>
public sealed record DnsNameData(string Target) : DnsRecordData
{
    internal override void Write(DnsWireWriter w) => w.WriteName(Target);

    public override string ToString() => Target;
}
