namespace CutoverEngine.Sandbox.Dns;

/// <summary>The EDNS(0) OPT pseudo-record's fields (RFC 6891 6.1.2-6.1.3).</summary>
public sealed record DnsEdns(ushort UdpPayloadSize, byte Version = 0, bool DnssecOk = false)
{
    /// <summary>Upper 8 bits of the 12-bit RCODE, as received; on writing, they come from the message's response
    /// code.</summary>
    public byte ExtendedResponseCode { get; init; }

    /// <summary>EDNS options (code, data) as received; the responder answers with none.</summary>
    public IReadOnlyList<(ushort Code, byte[] Data)> Options { get; init; } = [];

    internal static DnsEdns Read(ref DnsWireReader r, ushort udpPayloadSize, uint ttl, ushort length)
    {
        var end = r.Position + length;
        if (length > r.Remaining)
            throw new DnsFormatException(
                $"OPT record's RDATA of {length} octets at offset {r.Position} runs past the end of the message"
            );
        var options = new List<(ushort, byte[])>();
        while (r.Position < end)
        {
            var code = r.ReadUInt16();
            var optionLength = r.ReadUInt16();
            if (r.Position + optionLength > end)
                throw new DnsFormatException(
                    $"EDNS option {code} at offset {r.Position - 4} ({optionLength} octets) runs past its OPT record"
                );
            options.Add((code, r.ReadBytes(optionLength).ToArray()));
        }
        return new DnsEdns(udpPayloadSize, (byte)(ttl >> 16), (ttl & 0x8000) != 0)
        {
            ExtendedResponseCode = (byte)(ttl >> 24),
            Options = options,
        };
    }

    internal void Write(DnsWireWriter w, byte extendedResponseCode)
    {
        w.WriteByte(0); // root owner name
        w.WriteUInt16(DnsRecordType.OPT);
        w.WriteUInt16(UdpPayloadSize);
        w.WriteUInt32(((uint)extendedResponseCode << 24) | ((uint)Version << 16) | (DnssecOk ? 0x8000u : 0));
        var lengthAt = w.ReserveUInt16();
        var start = w.Length;
        foreach (var (code, data) in Options)
        {
            w.WriteUInt16(code);
            w.WriteUInt16((ushort)data.Length);
            w.WriteBytes(data);
        }
        w.PatchUInt16(lengthAt, (ushort)(w.Length - start));
    }
}
