using System.Buffers.Binary;
using System.Text;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>
/// Reads RFC 1035 wire format from one whole message (compression pointers are offsets into it).
/// Every read is bounds-checked and fails with a <see cref="DnsFormatException"/> naming the offset.
/// </summary>
public ref struct DnsWireReader(ReadOnlySpan<byte> message)
{
    /// <summary>Longest name on the wire, length octets and terminating root included (RFC 1035 2.3.4).</summary>
    public const int MaxNameLength = 255;
    public const int MaxLabelLength = 63;

    readonly ReadOnlySpan<byte> _message = message;
    int _position;

    public readonly int Position => _position;
    public readonly int Remaining => _message.Length - _position;

    public byte ReadByte()
    {
        Need(1, "an octet");
        return _message[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2, "a 16-bit field");
        var v = BinaryPrimitives.ReadUInt16BigEndian(_message[_position..]);
        _position += 2;
        return v;
    }

    public uint ReadUInt32()
    {
        Need(4, "a 32-bit field");
        var v = BinaryPrimitives.ReadUInt32BigEndian(_message[_position..]);
        _position += 4;
        return v;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count, $"{count} octets");
        var s = _message.Slice(_position, count);
        _position += count;
        return s;
    }

    /// <summary>
    /// Reads a possibly compressed name into its text form (labels joined by '.', trailing dot, '.' and '\' inside
    /// a label and non-printable octets escaped as in master files). Each pointer must lead strictly before the
    /// place the previous jump went to, so forward pointers and loops are rejected and reading always ends.
    /// </summary>
    public string ReadName()
    {
        var text = new StringBuilder();
        var pos = _position;
        var lowestStart = _position;
        var jumped = false;
        var wireLength = 0;
        while (true)
        {
            if (pos >= _message.Length)
                throw new DnsFormatException(
                    $"name starting at offset {_position} runs past the end of the {_message.Length}-octet message"
                );
            var b = _message[pos];
            switch (b & 0xC0)
            {
                case 0x00:
                    wireLength += 1 + b;
                    if (wireLength > MaxNameLength)
                        throw new DnsFormatException(
                            $"name starting at offset {_position} is longer than {MaxNameLength} octets"
                        );
                    if (b == 0)
                    {
                        if (!jumped)
                            _position = pos + 1;
                        return text.Length == 0 ? "." : text.ToString();
                    }
                    if (pos + 1 + b > _message.Length)
                        throw new DnsFormatException(
                            $"label at offset {pos} ({b} octets) runs past the end of the {_message.Length}-octet message"
                        );
                    AppendLabel(text, _message.Slice(pos + 1, b));
                    pos += 1 + b;
                    break;
                case 0xC0:
                    if (pos + 1 >= _message.Length)
                        throw new DnsFormatException(
                            $"compression pointer at offset {pos} is cut off by the end of the message"
                        );
                    var target = ((b & 0x3F) << 8) | _message[pos + 1];
                    if (target >= lowestStart)
                        throw new DnsFormatException(
                            $"compression pointer at offset {pos} leads to offset {target}, which is not before the name it continues (forward pointer or loop)"
                        );
                    if (!jumped)
                        _position = pos + 2;
                    jumped = true;
                    lowestStart = target;
                    pos = target;
                    break;
                default:
                    throw new DnsFormatException(
                        $"label type 0x{b & 0xC0:X2} at offset {pos} is not supported (only plain labels and compression pointers are)"
                    );
            }
        }
    }

    static void AppendLabel(StringBuilder text, ReadOnlySpan<byte> label)
    {
        foreach (var c in label)
        {
            if (c is (byte)'.' or (byte)'\\')
                text.Append('\\').Append((char)c);
            else if (c is < 0x21 or > 0x7E)
                text.Append('\\').Append(c.ToString("D3"));
            else
                text.Append((char)c);
        }
        text.Append('.');
    }

    readonly void Need(int count, string what)
    {
        if (count < 0 || _message.Length - _position < count)
            throw new DnsFormatException(
                $"expected {what} at offset {_position} but the {_message.Length}-octet message ends"
            );
    }
}
