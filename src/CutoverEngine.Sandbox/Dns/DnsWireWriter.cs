using System.Buffers.Binary;
using System.Text;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>
/// Writes RFC 1035 wire format into a growing buffer, compressing names against the names written before
/// (RFC 1035 4.1.4). Suffixes are matched octet for octet, so a compressed name reads back in the exact case it
/// was written in (answers echo the question as asked).
/// </summary>
public sealed class DnsWireWriter
{
    /// <summary>Pointers carry 14 bits of offset.</summary>
    const int MaxPointerOffset = 0x3FFF;

    byte[] _buffer = new byte[512];
    int _length;
    readonly Dictionary<string, int> _suffixOffsets = new(StringComparer.Ordinal);

    public int Length => _length;

    public void WriteByte(byte value)
    {
        Grow(1);
        _buffer[_length++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        Grow(2);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), value);
        _length += 2;
    }

    public void WriteUInt32(uint value)
    {
        Grow(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Grow(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes a 16-bit placeholder (e.g. RDLENGTH) and returns where it is, for <see
    /// cref="PatchUInt16"/>.</summary>
    public int ReserveUInt16()
    {
        var at = _length;
        WriteUInt16(0);
        return at;
    }

    public void PatchUInt16(int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(offset), value);

    /// <summary>
    /// Writes <paramref name="name"/> (text form, see <see cref="DnsWireReader.ReadName"/>). With
    /// <paramref name="compress"/> the longest suffix already in the message becomes a pointer and the name's own
    /// suffixes become targets for later names; without it (SRV targets, RFC 2782) the name is written in full.
    /// </summary>
    public void WriteName(string name, bool compress = true)
    {
        var labels = ParseLabels(name);
        for (int i = 0; i < labels.Count; i++)
        {
            if (compress)
            {
                var key = SuffixKey(labels, i);
                if (_suffixOffsets.TryGetValue(key, out var target))
                {
                    WriteUInt16((ushort)(0xC000 | target));
                    return;
                }
                if (_length <= MaxPointerOffset)
                    _suffixOffsets[key] = _length;
            }
            WriteByte((byte)labels[i].Length);
            WriteBytes(labels[i]);
        }
        WriteByte(0);
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    /// <summary>
    /// Splits a text-form name into its labels, undoing "\." "\\" and "\DDD" (decimal) escapes; "." is the root
    /// (no labels). Fails on empty labels, labels over 63 octets and names over 255 octets on the wire.
    /// </summary>
    public static List<byte[]> ParseLabels(string name)
    {
        var labels = new List<byte[]>();
        if (name is "." or "")
            return labels;
        var label = new List<byte>();
        var wireLength = 1;
        for (int i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '.')
            {
                EndLabel();
                continue;
            }
            if (c == '\\')
            {
                if (
                    i + 3 < name.Length
                    && char.IsAsciiDigit(name[i + 1])
                    && char.IsAsciiDigit(name[i + 2])
                    && char.IsAsciiDigit(name[i + 3])
                )
                {
                    var value = (name[i + 1] - '0') * 100 + (name[i + 2] - '0') * 10 + (name[i + 3] - '0');
                    if (value > 255)
                        throw new DnsFormatException(
                            $"name '{name}': escape \\{name.Substring(i + 1, 3)} is not an octet"
                        );
                    label.Add((byte)value);
                    i += 3;
                }
                else if (i + 1 < name.Length)
                {
                    label.Add(CheckedOctet(name[++i]));
                }
                else
                    throw new DnsFormatException($"name '{name}' ends in a lone backslash");
                continue;
            }
            label.Add(CheckedOctet(c));
        }
        if (label.Count > 0)
            EndLabel();
        if (wireLength > DnsWireReader.MaxNameLength)
            throw new DnsFormatException(
                $"name '{name}' is {wireLength} octets on the wire, over the limit of {DnsWireReader.MaxNameLength}"
            );
        return labels;

        void EndLabel()
        {
            if (label.Count == 0)
                throw new DnsFormatException($"name '{name}' has an empty label");
            if (label.Count > DnsWireReader.MaxLabelLength)
                throw new DnsFormatException(
                    $"name '{name}' has a label of {label.Count} octets, over the limit of {DnsWireReader.MaxLabelLength}"
                );
            labels.Add([.. label]);
            wireLength += 1 + label.Count;
            label.Clear();
        }

        byte CheckedOctet(char c) =>
            c <= 0x7F
                ? (byte)c
                : throw new DnsFormatException(
                    $"name '{name}' contains '{c}', which is not ASCII (IDNs must be given in punycode)"
                );
    }

    static string SuffixKey(List<byte[]> labels, int from)
    {
        // The suffix's wire form as Latin-1 text: unambiguous even for labels containing dots.
        var key = new StringBuilder();
        for (int i = from; i < labels.Count; i++)
        {
            key.Append((char)labels[i].Length);
            key.Append(Encoding.Latin1.GetString(labels[i]));
        }
        return key.ToString();
    }

    void Grow(int count)
    {
        if (_length + count <= _buffer.Length)
            return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
    }
}
