using System.Net;
using System.Net.Sockets;
using System.Text;
using CutoverEngine.Sandbox.Smtp;

namespace CutoverEngine.Sandbox.SendingControl;

/// <summary>What an MTA said when it took a message: its host id (from the banner's "(id)"), name and queue
/// id.</summary>
public sealed record SmtpAcceptance(string? HostId, string HostName, string QueueId, string Reply);

/// <summary>An SMTP delivery that did not end in 250 after DATA; the message was not handed over.</summary>
public sealed class SmtpDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The sending application's SMTP client: one message per connection (EHLO, MAIL, RCPT, DATA with dot-stuffing,
/// QUIT). A message counts as handed over only on 250 after the data; every other outcome throws and the
/// caller keeps the message queued.
/// </summary>
public static class SmtpDeliveryClient
{
    public static async Task<SmtpAcceptance> SendAsync(
        IPEndPoint mta,
        string heloName,
        OutgoingMessage message,
        CancellationToken ct
    )
    {
        using var client = new TcpClient(mta.AddressFamily) { NoDelay = true };
        try
        {
            await client.ConnectAsync(mta, ct);
        }
        catch (SocketException ex)
        {
            throw new SmtpDeliveryException($"connect to {mta} failed: {ex.SocketErrorCode}", ex);
        }
        var stream = client.GetStream();
        var reader = new SmtpLineReader(stream);

        string banner;
        try
        {
            banner = await ExpectAsync(reader, 220, "the greeting", mta, ct);
        }
        catch (IOException ex)
        {
            throw new SmtpDeliveryException($"{mta} closed the connection before greeting ({ex.Message})", ex);
        }
        var (hostName, hostId) = ParseBanner(banner);

        await CommandAsync(stream, reader, $"EHLO {heloName}", 250, mta, ct);
        await CommandAsync(stream, reader, $"MAIL FROM:<{message.From}>", 250, mta, ct);
        await CommandAsync(stream, reader, $"RCPT TO:<{message.To}>", 250, mta, ct);
        await CommandAsync(stream, reader, "DATA", 354, mta, ct);

        var data = new StringBuilder(message.Data.Length + 64);
        foreach (var line in message.Data.Split("\r\n"))
        {
            if (line.StartsWith('.'))
                data.Append('.'); // dot-stuffing (RFC 5321 4.5.2)
            data.Append(line).Append("\r\n");
        }
        if (message.Data.EndsWith("\r\n", StringComparison.Ordinal))
            data.Length -= 2; // Split left an empty last element for the final CRLF; it was written already
        data.Append(".\r\n");
        await WriteAsync(stream, data.ToString(), ct);
        var accepted = await ExpectAsync(reader, 250, "the message data", mta, ct);

        // Handed over. QUIT is a courtesy: a failure from here on must not make the caller send the message again.
        try
        {
            await WriteAsync(stream, "QUIT", ct);
            await reader.ReadLineAsync(512, ct);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException) { }

        var marker = "queued as ";
        var at = accepted.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
        var queueId = at < 0 ? "" : accepted[(at + marker.Length)..].Trim();
        return new SmtpAcceptance(hostId, hostName, queueId, accepted);
    }

    /// <summary>"220 name ESMTP ... (id)" to (name, id); id null when the banner carries none.</summary>
    public static (string Name, string? Id) ParseBanner(string banner)
    {
        var text = banner.Length > 4 ? banner[4..].Trim() : "";
        var name = text.Split(' ', 2)[0];
        string? id = null;
        var open = text.LastIndexOf('(');
        var close = text.LastIndexOf(')');
        if (open >= 0 && close > open + 1)
            id = text[(open + 1)..close];
        return (name, id);
    }

    static async Task CommandAsync(
        NetworkStream stream,
        SmtpLineReader reader,
        string command,
        int expected,
        IPEndPoint mta,
        CancellationToken ct
    )
    {
        await WriteAsync(stream, command, ct);
        await ExpectAsync(reader, expected, command.Split(' ')[0], mta, ct);
    }

    static async Task WriteAsync(NetworkStream stream, string text, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(text.EndsWith("\r\n", StringComparison.Ordinal) ? text : text + "\r\n");
        await stream.WriteAsync(bytes, ct);
    }

    /// <summary>Reads a (possibly multi-line) reply and returns its last line; throws unless its code is <paramref
    /// name="expected"/>.</summary>
    static async Task<string> ExpectAsync(
        SmtpLineReader reader,
        int expected,
        string what,
        IPEndPoint mta,
        CancellationToken ct
    )
    {
        while (true)
        {
            var line =
                await reader.ReadLineAsync(4096, ct)
                ?? throw new SmtpDeliveryException($"{mta} closed the connection while answering {what}");
            var text = line.Text;
            if (text.Length < 3 || !int.TryParse(text.AsSpan(0, 3), out var code))
                throw new SmtpDeliveryException($"{mta} answered {what} with a malformed reply '{text}'");
            if (text.Length > 3 && text[3] == '-')
                continue; // more lines of the same reply follow
            if (code != expected)
                throw new SmtpDeliveryException($"{mta} answered {what} with '{text}' (expected {expected})");
            return text;
        }
    }
}
