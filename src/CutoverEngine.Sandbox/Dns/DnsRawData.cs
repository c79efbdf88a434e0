namespace CutoverEngine.Sandbox.Dns;

/// <summary>RDATA of a type the codec does not interpret, kept octet for octet (RFC 3597).</summary>
public sealed record DnsRawData(byte[] Data) : DnsRecordData
{
    internal override void Write(DnsWireWriter w) => w.WriteBytes(Data);

    public override string ToString() => $"\\# {Data.Length} {Convert.ToHexString(Data)}";

    public bool Equals(DnsRawData? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);

    public override int GetHashCode() => Data.Length;
}
