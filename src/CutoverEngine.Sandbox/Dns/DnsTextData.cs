using System.Text;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>TXT (or SPF): one or more character-strings of up to 255 octets each.</summary>
public sealed record DnsTextData : DnsRecordData
{
    public DnsTextData(IReadOnlyList<byte[]> strings)
    {
        if (strings.Count == 0)
            throw new DnsFormatException("a TXT record needs at least one character-string");
        foreach (var s in strings)
            if (s.Length > 255)
                throw new DnsFormatException($"a TXT character-string is {s.Length} octets, over the limit of 255");
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
                throw new DnsFormatException(
                    $"TXT character-string at offset {r.Position - 1} ({length} octets) runs past its record"
                );
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
            if (text.Length > 0)
                text.Append(' ');
            text.Append('"');
            foreach (var c in s)
            {
                if (c is (byte)'"' or (byte)'\\')
                    text.Append('\\').Append((char)c);
                else if (c is < 0x20 or > 0x7E)
                    text.Append('\\').Append(c.ToString("D3"));
                else
                    text.Append((char)c);
            }
            text.Append('"');
        }
        return text.ToString();
    }

    public bool Equals(DnsTextData? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
