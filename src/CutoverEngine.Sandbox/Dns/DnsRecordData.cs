using System.Net;
using System.Text;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>
/// RDATA of one resource record. <see cref="object.ToString"/> gives the master-file (and Route 53) text form,
/// so two records are the same exactly when their texts are.
/// </summary>
public abstract record DnsRecordData
{
    internal abstract void Write(DnsWireWriter w);

    internal static DnsRecordData Read(ref DnsWireReader r, ushort type, ushort length)
    {
        var start = r.Position;
        if (length > r.Remaining)
            throw new DnsFormatException($"{DnsRecordType.ToMnemonic(type)} RDATA of {length} octets at offset {start} runs past the end of the message");
        var end = start + length;
        DnsRecordData data = type switch
        {
            DnsRecordType.A when length == 4 => new DnsAddressData(new IPAddress(r.ReadBytes(4))),
            DnsRecordType.AAAA when length == 16 => new DnsAddressData(new IPAddress(r.ReadBytes(16))),
            DnsRecordType.A or DnsRecordType.AAAA =>
                throw new DnsFormatException($"{DnsRecordType.ToMnemonic(type)} RDATA at offset {start} is {length} octets, not {(type == DnsRecordType.A ? 4 : 16)}"),
            DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR => new DnsNameData(r.ReadName()),
            DnsRecordType.MX => new DnsMxData(r.ReadUInt16(), r.ReadName()),
            DnsRecordType.TXT or DnsRecordType.SPF => DnsTextData.Read(ref r, end),
            DnsRecordType.SOA => new DnsSoaData(r.ReadName(), r.ReadName(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32()),
            DnsRecordType.SRV => new DnsSrvData(r.ReadUInt16(), r.ReadUInt16(), r.ReadUInt16(), r.ReadName()),
            _ => new DnsRawData(r.ReadBytes(length).ToArray()),
        };
        if (r.Position != end)
            throw new DnsFormatException($"{DnsRecordType.ToMnemonic(type)} RDATA at offset {start} declares {length} octets but its fields take {r.Position - start}");
        return data;
    }
}

/// <summary>A (IPv4) or AAAA (IPv6).</summary>
public sealed record DnsAddressData(IPAddress Address) : DnsRecordData
{
    internal override void Write(DnsWireWriter w) => w.WriteBytes(Address.GetAddressBytes());
    public override string ToString() => Address.ToString();
}

/// <summary>NS, CNAME or PTR: one domain name, compressible (RFC 3597 4).</summary>
public sealed record DnsNameData(string Target) : DnsRecordData
{
    internal override void Write(DnsWireWriter w) => w.WriteName(Target);
    public override string ToString() => Target;
}

public sealed record DnsMxData(ushort Preference, string Exchange) : DnsRecordData
{
    internal override void Write(DnsWireWriter w)
    {
        w.WriteUInt16(Preference);
        w.WriteName(Exchange);
    }

    public override string ToString() => $"{Preference} {Exchange}";
}

public sealed record DnsSoaData(string PrimaryNameServer, string ResponsibleMailbox, uint Serial, uint Refresh, uint Retry, uint Expire, uint Minimum) : DnsRecordData
{
    internal override void Write(DnsWireWriter w)
    {
        w.WriteName(PrimaryNameServer);
        w.WriteName(ResponsibleMailbox);
        w.WriteUInt32(Serial);
        w.WriteUInt32(Refresh);
        w.WriteUInt32(Retry);
        w.WriteUInt32(Expire);
        w.WriteUInt32(Minimum);
    }

    public override string ToString() => $"{PrimaryNameServer} {ResponsibleMailbox} {Serial} {Refresh} {Retry} {Expire} {Minimum}";
}

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

/// <summary>TXT (or SPF): one or more character-strings of up to 255 octets each.</summary>
public sealed record DnsTextData : DnsRecordData
{
    public DnsTextData(IReadOnlyList<byte[]> strings)
    {
        if (strings.Count == 0) throw new DnsFormatException("a TXT record needs at least one character-string");
        foreach (var s in strings)
            if (s.Length > 255) throw new DnsFormatException($"a TXT character-string is {s.Length} octets, over the limit of 255");
        Strings = strings;
    }

    public IReadOnlyList<byte[]> Strings { get; }

    /// <summary>The strings joined, as UTF-8 (how SPF and DKIM records are read).</summary>
    public string Text => string.Concat(Strings.Select(s => Encoding.UTF8.GetString(s)));

    internal static DnsTextData Read(ref DnsWireReader r, int end)
    {
        var strings = new List<byte[]>();
        while (r.Position < end)
        {
            var length = r.ReadByte();
            if (r.Position + length > end)
                throw new DnsFormatException($"TXT character-string at offset {r.Position - 1} ({length} octets) runs past its record");
            strings.Add(r.ReadBytes(length).ToArray());
        }
        return new DnsTextData(strings);
    }

    internal override void Write(DnsWireWriter w)
    {
        foreach (var s in Strings)
        {
            w.WriteByte((byte)s.Length);
            w.WriteBytes(s);
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var s in Strings)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append('"');
            foreach (var c in s)
            {
                if (c is (byte)'"' or (byte)'\\') text.Append('\\').Append((char)c);
                else if (c is < 0x20 or > 0x7E) text.Append('\\').Append(c.ToString("D3"));
                else text.Append((char)c);
            }
            text.Append('"');
        }
        return text.ToString();
    }

    public bool Equals(DnsTextData? other) => other is not null && ToString() == other.ToString();
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}

/// <summary>RDATA of a type the codec does not interpret, kept octet for octet (RFC 3597).</summary>
public sealed record DnsRawData(byte[] Data) : DnsRecordData
{
    internal override void Write(DnsWireWriter w) => w.WriteBytes(Data);
    public override string ToString() => $"\\# {Data.Length} {Convert.ToHexString(Data)}";
    public bool Equals(DnsRawData? other) => other is not null && Data.AsSpan().SequenceEqual(other.Data);
    public override int GetHashCode() => Data.Length;
}
