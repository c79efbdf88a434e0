using System.Buffers;
using System.Text;

namespace CutoverEngine.Sandbox.Smtp;

/// <summary>One line read off an SMTP stream, without its line ending. <see cref="TooLong"/>: it was cut at the
/// limit.</summary>
public readonly record struct SmtpLine(string Text, bool TooLong, int Octets);

/// <summary>
/// Reads CRLF-terminated lines off a stream with a length limit, for both ends of the sandbox's SMTP. A line over the
/// limit is consumed to its end but only its first <c>maxOctets</c> are kept, so one hostile line can neither grow
/// memory nor desynchronise the conversation. A bare LF also ends a line (lenient, as most MTAs are).
/// </summary>
public sealed class SmtpLineReader(Stream stream)
{
    readonly byte[] _buffer = new byte[8192];
    readonly ArrayBufferWriter<byte> _line = new(1024);
    int _start;
    int _end;

    /// <summary>The next line, or null when the peer closed the stream. <paramref name="maxOctets"/> excludes the
    /// CRLF.</summary>
    public async ValueTask<SmtpLine?> ReadLineAsync(int maxOctets, CancellationToken ct)
    {
        _line.Clear();
        var octets = 0;
        var tooLong = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var chunkEnd = newline < 0 ? _end : newline;
            var chunk = chunkEnd - _start;
            octets += chunk;
            var room = maxOctets + 1 - _line.WrittenCount; // +1 keeps a trailing CR that is stripped below
            if (room > 0)
                _line.Write(_buffer.AsSpan(_start, Math.Min(room, chunk)));
            if (newline >= 0)
            {
                _start = newline + 1;
                var bytes = _line.WrittenSpan;
                if (bytes.Length > 0 && bytes[^1] == '\r')
                {
                    bytes = bytes[..^1];
                    octets--;
                }
                else if (bytes.Length > maxOctets)
                    bytes = bytes[..maxOctets];
                tooLong |= octets > maxOctets;
                return new SmtpLine(Encoding.UTF8.GetString(bytes), tooLong, octets);
            }
            _start = _end = 0;
            var read = await stream.ReadAsync(_buffer, ct);
            if (read == 0)
                return null;
            _end = read;
        }
    }
}
