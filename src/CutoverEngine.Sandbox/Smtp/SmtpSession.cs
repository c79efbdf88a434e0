using System.Net;
using System.Text;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Smtp;

/// <summary>
/// One SMTP conversation (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, QUIT) with the MTA host
/// that owned the connected address when the client connected. The host stays the same for the whole connection,
/// as a TCP connection to a real server would, even if the address moves meanwhile.
/// </summary>
sealed class SmtpSession(
    HostState host,
    IPAddress localAddress,
    Stream stream,
    MailLedger ledger,
    SandboxWorld world,
    MtaOptions options,
    Func<string> newQueueId
)
{
    readonly SmtpLineReader _reader = new(stream);
    string? _helo;
    string? _mailFrom;
    readonly List<string> _recipients = [];
    int _errors;

    static readonly HashSet<string> NotImplemented = new(StringComparer.Ordinal)
    {
        "EXPN",
        "HELP",
        "TURN",
        "STARTTLS",
        "AUTH",
        "BDAT",
        "ETRN",
    };

    public async Task RunAsync(CancellationToken stopping)
    {
        await ReplyAsync($"220 {host.Name} ESMTP CutoverEngine sandbox ({host.Id})", stopping);
        while (true)
        {
            var line = await ReadAsync(options.MaxCommandLineOctets, stopping);
            if (line is null)
                return;
            if (line.Value.TooLong)
            {
                if (!await ErrorAsync("500 5.5.6 Error: command line too long", stopping))
                    return;
                continue;
            }
            var text = line.Value.Text;
            var space = text.IndexOf(' ');
            var verb = (space < 0 ? text : text[..space]).ToUpperInvariant();
            var args = space < 0 ? "" : text[(space + 1)..].Trim();
            switch (verb)
            {
                case "EHLO":
                    if (args.Length == 0)
                    {
                        if (!await ErrorAsync("501 5.5.4 Syntax: EHLO hostname", stopping))
                            return;
                        break;
                    }
                    _helo = args;
                    ResetTransaction();
                    await ReplyAsync(
                        $"250-{host.Name}\r\n250-PIPELINING\r\n250-SIZE {options.MaxMessageOctets}\r\n250-8BITMIME\r\n250 ENHANCEDSTATUSCODES",
                        stopping
                    );
                    break;
                case "HELO":
                    if (args.Length == 0)
                    {
                        if (!await ErrorAsync("501 5.5.4 Syntax: HELO hostname", stopping))
                            return;
                        break;
                    }
                    _helo = args;
                    ResetTransaction();
                    await ReplyAsync($"250 {host.Name}", stopping);
                    break;
                case "MAIL":
                    if (!await MailAsync(args, stopping))
                        return;
                    break;
                case "RCPT":
                    if (!await RcptAsync(args, stopping))
                        return;
                    break;
                case "DATA":
                    if (!await DataAsync(args, stopping))
                        return;
                    break;
                case "RSET":
                    ResetTransaction();
                    await ReplyAsync("250 2.0.0 Ok", stopping);
                    break;
                case "NOOP":
                    await ReplyAsync("250 2.0.0 Ok", stopping);
                    break;
                case "VRFY":
                    await ReplyAsync(
                        "252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery",
                        stopping
                    );
                    break;
                case "QUIT":
                    await ReplyAsync("221 2.0.0 Bye", stopping);
                    return;
                case "":
                    if (!await ErrorAsync("500 5.5.2 Error: bad syntax", stopping))
                        return;
                    break;
                default:
                    if (
                        !await ErrorAsync(
                            NotImplemented.Contains(verb)
                                ? "502 5.5.1 Error: command not implemented"
                                : "500 5.5.2 Error: command not recognized",
                            stopping
                        )
                    )
                        return;
                    break;
            }
        }
    }

    async Task<bool> MailAsync(string args, CancellationToken ct)
    {
        if (_helo is null)
            return await ErrorAsync("503 5.5.1 Error: send HELO/EHLO first", ct);
        if (_mailFrom is not null)
            return await ErrorAsync("503 5.5.1 Error: nested MAIL command", ct);
        if (!TryPath(args, "FROM:", allowEmpty: true, out var path, out var parameters))
            return await ErrorAsync("501 5.5.4 Syntax: MAIL FROM:<address>", ct);
        foreach (var p in parameters)
        {
            var eq = p.IndexOf('=');
            var key = (eq < 0 ? p : p[..eq]).ToUpperInvariant();
            var value = eq < 0 ? "" : p[(eq + 1)..];
            switch (key)
            {
                case "SIZE" when long.TryParse(value, out var size) && size >= 0:
                    if (size > options.MaxMessageOctets)
                        return await ErrorAsync("552 5.3.4 Error: message size exceeds fixed limit", ct);
                    break;
                case "BODY" when value.ToUpperInvariant() is "7BIT" or "8BITMIME":
                    break;
                default:
                    return await ErrorAsync($"555 5.5.4 Unsupported option: {p}", ct);
            }
        }
        _mailFrom = path;
        await ReplyAsync("250 2.1.0 Ok", ct);
        return true;
    }

    async Task<bool> RcptAsync(string args, CancellationToken ct)
    {
        if (_mailFrom is null)
            return await ErrorAsync("503 5.5.1 Error: need MAIL command", ct);
        if (!TryPath(args, "TO:", allowEmpty: false, out var path, out var parameters) || parameters.Count > 0)
            return await ErrorAsync("501 5.5.4 Syntax: RCPT TO:<address>", ct);
        if (_recipients.Count >= options.MaxRecipients)
        {
            await ReplyAsync("452 4.5.3 Error: too many recipients", ct);
            return true;
        }
        _recipients.Add(path);
        await ReplyAsync("250 2.1.5 Ok", ct);
        return true;
    }

    async Task<bool> DataAsync(string args, CancellationToken ct)
    {
        if (args.Length > 0)
            return await ErrorAsync("501 5.5.4 Syntax: DATA", ct);
        if (_mailFrom is null)
            return await ErrorAsync("503 5.5.1 Error: need MAIL command", ct);
        if (_recipients.Count == 0)
            return await ErrorAsync("503 5.5.1 Error: need RCPT command", ct);
        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", ct);

        var data = new StringBuilder();
        long octets = 0;
        var tooBig = false;
        var lineTooLong = false;
        while (true)
        {
            var line = await ReadAsync(options.MaxTextLineOctets, ct);
            if (line is null)
                return false; // the client went away mid-message: nothing was accepted
            var text = line.Value.Text;
            if (text == ".")
                break;
            // Dot-stuffing (RFC 5321 4.5.2): a leading dot was doubled by the client.
            if (text.StartsWith('.'))
                text = text[1..];
            lineTooLong |= line.Value.TooLong;
            octets += line.Value.Octets + 2;
            if (octets > options.MaxMessageOctets)
                tooBig = true;
            if (!tooBig)
                data.Append(text).Append("\r\n");
        }
        ResetTransaction();
        if (tooBig)
        {
            await ReplyAsync("552 5.3.4 Error: message file too big", ct);
            return true;
        }
        if (lineTooLong)
        {
            await ReplyAsync($"554 5.6.0 Error: message has a line longer than {options.MaxTextLineOctets} octets", ct);
            return true;
        }
        var queueId = newQueueId();
        var message = data.ToString();
        var messageId = MessageIdOf(message);
        host.CountAccepted();
        ledger.Record(
            host.Id,
            localAddress,
            messageId,
            queueId,
            System.Text.Encoding.UTF8.GetByteCount(message),
            world.Now
        );
        await ReplyAsync($"250 2.0.0 Ok: queued as {queueId}", ct);
        return true;
    }

    void ResetTransaction()
    {
        _mailFrom = null;
        _recipients.Clear();
    }

    /// <summary>Counts a protocol error and replies; false once the client has made too many and was told
    /// 421.</summary>
    async Task<bool> ErrorAsync(string reply, CancellationToken ct)
    {
        if (++_errors > options.MaxErrors)
        {
            await ReplyAsync($"421 4.7.0 {host.Name} Error: too many errors", ct);
            return false;
        }
        await ReplyAsync(reply, ct);
        return true;
    }

    async Task<SmtpLine?> ReadAsync(int maxOctets, CancellationToken stopping)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        idle.CancelAfter(options.IdleTimeout);
        try
        {
            return await _reader.ReadLineAsync(maxOctets, idle.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            await ReplyAsync($"421 4.4.2 {host.Name} Error: timeout exceeded", stopping);
            return null;
        }
    }

    async Task ReplyAsync(string reply, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(reply + "\r\n");
        await stream.WriteAsync(bytes, ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>Parses "FROM:&lt;path&gt; PARAM=value ..." (the keyword case-insensitive, spaces after the colon
    /// tolerated).</summary>
    static bool TryPath(string args, string keyword, bool allowEmpty, out string path, out List<string> parameters)
    {
        path = "";
        parameters = [];
        if (!args.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
            return false;
        var rest = args[keyword.Length..].TrimStart();
        if (!rest.StartsWith('<'))
            return false;
        var close = rest.IndexOf('>');
        if (close < 0)
            return false;
        path = rest[1..close];
        if (path.Length == 0 && !allowEmpty)
            return false;
        if (
            path.Length > 0
            && (
                path.Contains(' ')
                || !path.Contains('@') && !path.Equals("postmaster", StringComparison.OrdinalIgnoreCase)
            )
        )
            return false;
        parameters = [.. rest[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        return true;
    }

    /// <summary>The Message-ID header's value (unfolded, trimmed), or null when the header section has none.</summary>
    public static string? MessageIdOf(string message)
    {
        string? current = null;
        foreach (var raw in message.Split("\r\n"))
        {
            if (raw.Length == 0)
                break; // end of the header section
            if (raw[0] is ' ' or '\t')
            {
                if (current is not null)
                    current += " " + raw.Trim();
                continue;
            }
            if (current is not null)
                break;
            var colon = raw.IndexOf(':');
            if (colon > 0 && raw[..colon].Trim().Equals("Message-ID", StringComparison.OrdinalIgnoreCase))
                current = raw[(colon + 1)..].Trim();
        }
        return string.IsNullOrWhiteSpace(current) ? null : current.Trim();
    }
}
