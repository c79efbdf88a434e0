using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CutoverEngine.Sending.Verification;

/// <summary>
/// A minimal SMTP client (RFC 5321) for probing: read the greeting, say EHLO, optionally send one message.
/// Used by verification, by the plan to read the banners of old and new MTAs, and to hand wave notices to a relay.
/// </summary>
public sealed class SmtpConversation : IAsyncDisposable
{
    readonly TcpClient _tcp;
    readonly StreamReader _reader;
    readonly Stream _stream;
    readonly TimeSpan _timeout;

    SmtpConversation(TcpClient tcp, TimeSpan timeout)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
        _timeout = timeout;
    }

    public string Greeting { get; private set; } = "";

    /// <summary>Connects and reads the 220 greeting; throws <see cref="SmtpProbeException"/> when nothing (or not 220)
    /// answers.</summary>
    public static async Task<SmtpConversation> OpenAsync(
        IPAddress address,
        int port,
        TimeSpan timeout,
        CancellationToken ct
    )
    {
        var tcp = new TcpClient(address.AddressFamily);
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(timeout);
            try
            {
                await tcp.ConnectAsync(address, port, connect.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                tcp.Dispose();
                throw new SmtpProbeException(
                    $"nothing answers SMTP on {address}:{port} ({(e is SocketException s ? s.SocketErrorCode.ToString() : "timeout")})"
                );
            }
        }
        var c = new SmtpConversation(tcp, timeout);
        try
        {
            var (code, lines) = await c.ReadReplyAsync(ct);
            c.Greeting = lines[0];
            if (code != 220)
                throw new SmtpProbeException($"{address}:{port} greeted with {code} {lines[0]}");
            return c;
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    /// <summary>EHLO; returns the name the server announces (first word of its first 250 line).</summary>
    public async Task<string> EhloAsync(string heloName, CancellationToken ct)
    {
        var (code, lines) = await CommandAsync($"EHLO {heloName}", ct);
        if (code != 250)
            throw new SmtpProbeException($"EHLO answered {code} {lines[0]}");
        return lines[0].Split(' ', 2)[0];
    }

    /// <summary>Sends one verification message; returns the final reply (250 means accepted).</summary>
    public Task<(int Code, string Text)> SendAsync(
        string from,
        string to,
        string messageId,
        string subject,
        CancellationToken ct
    ) =>
        SendMessageAsync(
            from,
            to,
            $"From: <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: {messageId}\r\nDate: {DateTimeOffset.UtcNow:r}\r\n\r\nCutoverEngine verification message.\r\n",
            ct
        );

    /// <summary>
    /// Sends one message (<paramref name="message"/>: RFC 5322 headers, blank line, body; CRLF or LF line ends);
    /// returns the first refusal or the final reply to DATA (250 means the server took responsibility for it).
    /// </summary>
    public async Task<(int Code, string Text)> SendMessageAsync(
        string from,
        string to,
        string message,
        CancellationToken ct
    )
    {
        var (code, lines) = await CommandAsync($"MAIL FROM:<{from}>", ct);
        if (code != 250)
            return (code, lines[0]);
        (code, lines) = await CommandAsync($"RCPT TO:<{to}>", ct);
        if (code is not (250 or 251))
            return (code, lines[0]);
        (code, lines) = await CommandAsync("DATA", ct);
        if (code != 354)
            return (code, lines[0]);
        var data = new StringBuilder();
        foreach (var line in message.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
            data.Append(line.StartsWith('.') ? "." : "").Append(line).Append("\r\n"); // dot-stuffing (RFC 5321 4.5.2)
        data.Append(".\r\n");
        await WriteAsync(data.ToString(), ct);
        (code, lines) = await ReadReplyAsync(ct);
        return (code, lines[0]);
    }

    public async Task<(int Code, string[] Lines)> CommandAsync(string command, CancellationToken ct)
    {
        await WriteAsync(command + "\r\n", ct);
        return await ReadReplyAsync(ct);
    }

    async Task WriteAsync(string text, CancellationToken ct)
    {
        using var t = CancellationTokenSource.CreateLinkedTokenSource(ct);
        t.CancelAfter(_timeout);
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text), t.Token);
    }

    async Task<(int Code, string[] Lines)> ReadReplyAsync(CancellationToken ct)
    {
        var lines = new List<string>();
        using var t = CancellationTokenSource.CreateLinkedTokenSource(ct);
        t.CancelAfter(_timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(t.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new SmtpProbeException($"no SMTP reply within {_timeout.TotalSeconds:0} s");
            }
            catch (IOException e)
            {
                throw new SmtpProbeException($"the connection broke: {e.Message}");
            }
            if (line is null)
                throw new SmtpProbeException("the server closed the connection");
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code))
                throw new SmtpProbeException($"not an SMTP reply: '{line}'");
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
                return (code, [.. lines]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteAsync("QUIT\r\n", CancellationToken.None);
        }
        catch (Exception e)
            when (e
                    is IOException
                        or SocketException
                        or ObjectDisposedException
                        or OperationCanceledException
                        or SmtpProbeException
            ) { }
        _tcp.Dispose();
    }
}

public sealed class SmtpProbeException(string message) : Exception(message);
