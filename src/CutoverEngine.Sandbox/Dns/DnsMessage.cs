namespace CutoverEngine.Sandbox.Dns;

/// <summary>
/// One DNS message (RFC 1035 4.1). The EDNS OPT pseudo-record (RFC 6891) is not kept among
/// <see cref="Additionals"/> but in <see cref="Edns"/>, and its extended RCODE bits are folded into
/// <see cref="ResponseCode"/>.
/// </summary>
public sealed class DnsMessage
{
    public const int HeaderLength = 12;

    public ushort Id { get; set; }
    public bool IsResponse { get; set; }
    public byte Opcode { get; set; }
    public bool IsAuthoritative { get; set; }
    public bool IsTruncated { get; set; }
    public bool RecursionDesired { get; set; }
    public bool RecursionAvailable { get; set; }
    public bool AuthenticData { get; set; }
    public bool CheckingDisabled { get; set; }
    public DnsResponseCode ResponseCode { get; set; }
    public List<DnsQuestion> Questions { get; } = [];
    public List<DnsResourceRecord> Answers { get; } = [];
    public List<DnsResourceRecord> Authorities { get; } = [];
    public List<DnsResourceRecord> Additionals { get; } = [];
    public DnsEdns? Edns { get; set; }

    /// <summary>Reads a whole message; anything malformed (including trailing octets) is a <see
    /// cref="DnsFormatException"/>.</summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> wire)
    {
        if (wire.Length < HeaderLength)
            throw new DnsFormatException(
                $"message is {wire.Length} octets, shorter than the {HeaderLength}-octet header"
            );
        var r = new DnsWireReader(wire);
        var m = new DnsMessage { Id = r.ReadUInt16() };
        var flags = r.ReadUInt16();
        m.IsResponse = (flags & 0x8000) != 0;
        m.Opcode = (byte)((flags >> 11) & 0xF);
        m.IsAuthoritative = (flags & 0x0400) != 0;
        m.IsTruncated = (flags & 0x0200) != 0;
        m.RecursionDesired = (flags & 0x0100) != 0;
        m.RecursionAvailable = (flags & 0x0080) != 0;
        m.AuthenticData = (flags & 0x0020) != 0;
        m.CheckingDisabled = (flags & 0x0010) != 0;
        var rcode = flags & 0xF;
        int qd = r.ReadUInt16(),
            an = r.ReadUInt16(),
            ns = r.ReadUInt16(),
            ar = r.ReadUInt16();
        for (int i = 0; i < qd; i++)
            m.Questions.Add(new DnsQuestion(r.ReadName(), r.ReadUInt16(), r.ReadUInt16()));
        ReadSection(ref r, an, m.Answers, "answer", m);
        ReadSection(ref r, ns, m.Authorities, "authority", m);
        ReadSection(ref r, ar, m.Additionals, "additional", m);
        if (r.Remaining != 0)
            throw new DnsFormatException($"{r.Remaining} octets follow the last record at offset {r.Position}");
        m.ResponseCode = (DnsResponseCode)(rcode | ((m.Edns?.ExtendedResponseCode ?? 0) << 4));
        return m;
    }

    static void ReadSection(ref DnsWireReader r, int count, List<DnsResourceRecord> into, string section, DnsMessage m)
    {
        for (int i = 0; i < count; i++)
        {
            var start = r.Position;
            var name = r.ReadName();
            var type = r.ReadUInt16();
            var @class = r.ReadUInt16();
            var ttl = r.ReadUInt32();
            var length = r.ReadUInt16();
            if (type == DnsRecordType.OPT)
            {
                if (section != "additional")
                    throw new DnsFormatException(
                        $"OPT record at offset {start} is in the {section} section; it belongs in the additional section"
                    );
                if (m.Edns is not null)
                    throw new DnsFormatException($"second OPT record at offset {start}; a message carries at most one");
                if (name != ".")
                    throw new DnsFormatException(
                        $"OPT record at offset {start} is owned by '{name}' instead of the root"
                    );
                m.Edns = DnsEdns.Read(ref r, @class, ttl, length);
                continue;
            }
            var data = DnsRecordData.Read(ref r, type, length);
            into.Add(new DnsResourceRecord(name, type, @class, ttl, data));
        }
    }

    /// <summary>Writes the message with name compression. The OPT record, if any, goes last in the additional
    /// section.</summary>
    public byte[] Encode()
    {
        var code = (int)ResponseCode;
        if (code > 0xF && Edns is null)
            throw new DnsFormatException(
                $"response code {ResponseCode} ({code}) needs EDNS's extended bits but the message has no OPT record"
            );
        var w = new DnsWireWriter();
        w.WriteUInt16(Id);
        var flags =
            (IsResponse ? 0x8000 : 0)
            | ((Opcode & 0xF) << 11)
            | (IsAuthoritative ? 0x0400 : 0)
            | (IsTruncated ? 0x0200 : 0)
            | (RecursionDesired ? 0x0100 : 0)
            | (RecursionAvailable ? 0x0080 : 0)
            | (AuthenticData ? 0x0020 : 0)
            | (CheckingDisabled ? 0x0010 : 0)
            | (code & 0xF);
        w.WriteUInt16((ushort)flags);
        w.WriteUInt16(CheckedCount(Questions.Count, "questions"));
        w.WriteUInt16(CheckedCount(Answers.Count, "answers"));
        w.WriteUInt16(CheckedCount(Authorities.Count, "authority records"));
        w.WriteUInt16(CheckedCount(Additionals.Count + (Edns is null ? 0 : 1), "additional records"));
        foreach (var q in Questions)
        {
            w.WriteName(q.Name);
            w.WriteUInt16(q.Type);
            w.WriteUInt16(q.Class);
        }
        foreach (var rr in Answers)
            rr.Write(w);
        foreach (var rr in Authorities)
            rr.Write(w);
        foreach (var rr in Additionals)
            rr.Write(w);
        Edns?.Write(w, (byte)(code >> 4));
        return w.ToArray();
    }

    static ushort CheckedCount(int count, string what) =>
        count <= ushort.MaxValue
            ? (ushort)count
            : throw new DnsFormatException($"{count} {what} do not fit a 16-bit count");
}
