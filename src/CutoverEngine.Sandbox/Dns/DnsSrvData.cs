namespace CutoverEngine.Sandbox.Dns;

/// <summary>SRV; its target is never compressed (RFC 2782).</summary>
public sealed record DnsSrvData(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData
{
    internal override void Write(DnsWireWriter w)
    {
        w.WriteUInt16(Priority);
        w.WriteUInt16(Weight);
        w.WriteUInt16(Port);
        w.WriteName(Target, compress: false);
    }

    public override string ToString() => $"{Priority} {Weight} {Port} {Target}";
}
