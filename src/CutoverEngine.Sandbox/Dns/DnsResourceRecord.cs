namespace CutoverEngine.Sandbox.Dns;

public sealed record DnsResourceRecord(string Name, ushort Type, ushort Class, uint Ttl, DnsRecordData Data)
{
    internal void Write(DnsWireWriter w)
    {
        w.WriteName(Name);
        w.WriteUInt16(Type);
        w.WriteUInt16(Class);
        w.WriteUInt32(Ttl);
        var lengthAt = w.ReserveUInt16();
        var start = w.Length;
        Data.Write(w);
        var length = w.Length - start;
        if (length > ushort.MaxValue)
            throw new DnsFormatException(
                $"{Name} {DnsRecordType.ToMnemonic(Type)}: RDATA of {length} octets does not fit a 16-bit length"
            );
        w.PatchUInt16(lengthAt, (ushort)length);
    }

    public override string ToString() => $"{Name} {Ttl} {DnsRecordType.ToMnemonic(Type)} {Data}";
}
