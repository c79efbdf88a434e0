using System.Net;

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
            throw new DnsFormatException(
                $"{DnsRecordType.ToMnemonic(type)} RDATA of {length} octets at offset {start} runs past the end of the message"
            );
        var end = start + length;
        DnsRecordData data = type switch
        {
            DnsRecordType.A when length == 4 => new DnsAddressData(new IPAddress(r.ReadBytes(4))),
            DnsRecordType.AAAA when length == 16 => new DnsAddressData(new IPAddress(r.ReadBytes(16))),
            DnsRecordType.A or DnsRecordType.AAAA => throw new DnsFormatException(
                $"{DnsRecordType.ToMnemonic(type)} RDATA at offset {start} is {length} octets, not {(type == DnsRecordType.A ? 4 : 16)}"
            ),
            DnsRecordType.NS or DnsRecordType.CNAME or DnsRecordType.PTR => new DnsNameData(r.ReadName()),
            DnsRecordType.MX => new DnsMxData(r.ReadUInt16(), r.ReadName()),
            DnsRecordType.TXT or DnsRecordType.SPF => DnsTextData.Read(ref r, end),
            DnsRecordType.SOA => new DnsSoaData(
                r.ReadName(),
                r.ReadName(),
                r.ReadUInt32(),
                r.ReadUInt32(),
                r.ReadUInt32(),
                r.ReadUInt32(),
                r.ReadUInt32()
            ),
            DnsRecordType.SRV => new DnsSrvData(r.ReadUInt16(), r.ReadUInt16(), r.ReadUInt16(), r.ReadName()),
            _ => new DnsRawData(r.ReadBytes(length).ToArray()),
        };
        if (r.Position != end)
            throw new DnsFormatException(
                $"{DnsRecordType.ToMnemonic(type)} RDATA at offset {start} declares {length} octets but its fields take {r.Position - start}"
            );
        return data;
    }
}
