using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MimeKit;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>One message a <see cref="LoopbackRelay"/> accepted: the envelope and the bytes after DATA.</summary>
internal sealed record RelayedMessage(string From, IReadOnlyList<string> To, byte[] Data)
{
    /// <summary>The message as a mail reader decodes it (RFC 2047 headers, transfer encoding, charset).</summary>
    public MimeMessage Decoded() => MimeMessage.Load(new MemoryStream(Data));

    /// <summary>The .ics attachment, decoded: its text as sent and the part's method parameter.</summary>
    public (string Text, string Method) Invitation()
    {
        var part = Assert.Single(
            Decoded().Attachments.OfType<TextPart>(),
            p => p.ContentType.MediaSubtype == "calendar"
        );
        Assert.EndsWith(".ics", part.FileName, StringComparison.Ordinal);
        // The bytes as sent (RFC 5545 lines end in CRLF), not MimeKit's text view of them.
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return (Encoding.UTF8.GetString(bytes.ToArray()), part.ContentType.Parameters["method"] ?? "");
    }
}

/// <summary>
/// A loopback SMTP relay: accepts (250) or refuses (554 after DATA) every message and keeps what it got. It can
/// ask for AUTH PLAIN with one user, and offer STARTTLS with a self-signed certificate no client trusts.
/// </summary>
internal sealed class LoopbackRelay : IAsyncDisposable
{
    readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    readonly List<RelayedMessage> _messages = [];
    readonly List<string> _verbs = [];
    readonly (string User, string Password)? _login;
    readonly bool _offerTls;

    public LoopbackRelay(bool refuse, (string User, string Password)? login = null, bool offerTls = false)
    {
        Refuse = refuse;
        _login = login;
        _offerTls = offerTls;
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public bool Refuse { get; }

    /// <summary>Refuses (554 after DATA) the messages this says so of, beside <see cref="Refuse"/>; settable while the
    /// relay runs.</summary>
    public Func<RelayedMessage, bool>? RefuseWhen { get; set; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public DnsEndPoint EndPoint => new("127.0.0.1", Port);
    public IReadOnlyList<RelayedMessage> Messages
    {
        get
        {
            lock (_messages)
                return [.. _messages];
        }
    }

    /// <summary>Every command verb clients sent, in order (AUTH with its mechanism only).</summary>
    public IReadOnlyList<string> Verbs
    {
        get
        {
            lock (_verbs)
                return [.. _verbs];
        }
    }

    async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(() => SessionAsync(client));
            }
        }
        catch (OperationCanceledException) { }
    }

    async Task SessionAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        // Latin-1 maps every byte to one char, so the message's bytes are kept exactly as they arrived.
        using var reader = new StreamReader(stream, Encoding.Latin1);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            await writer.WriteLineAsync("220 relay.test ESMTP");
            string from = "";
            var to = new List<string>();
            var authenticated = _login is null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var parts = line.Split(' ', 3);
                var verb = parts[0].ToUpperInvariant();
                lock (_verbs)
                    _verbs.Add(verb == "AUTH" && parts.Length > 1 ? $"AUTH {parts[1]}" : verb);
                if (verb is "EHLO" or "HELO")
                {
                    var extensions = new List<string> { "relay.test" };
                    if (_offerTls)
                        extensions.Add("STARTTLS");
                    if (_login is not null)
                        extensions.Add("AUTH PLAIN");
                    for (var i = 0; i < extensions.Count; i++)
                        await writer.WriteLineAsync($"250{(i == extensions.Count - 1 ? ' ' : '-')}{extensions[i]}");
                }
                else if (verb == "STARTTLS" && _offerTls)
                {
                    await writer.WriteLineAsync("220 2.0.0 ready");
                    await using var tls = new SslStream(stream);
                    using var certificate = SelfSigned();
                    // the client refuses the certificate: the session ends
                    await tls.AuthenticateAsServerAsync(certificate);
                    return;
                }
                else if (verb == "AUTH" && _login is { } login)
                {
                    var credentials =
                        parts.Length > 2 ? Encoding.UTF8.GetString(Convert.FromBase64String(parts[2])).Split('\0') : [];
                    authenticated =
                        credentials.Length == 3 && credentials[1] == login.User && credentials[2] == login.Password;
                    await writer.WriteLineAsync(
                        authenticated ? "235 2.7.0 authenticated" : "535 5.7.8 bad credentials"
                    );
                }
                else if (verb == "MAIL" && !authenticated)
                    await writer.WriteLineAsync("530 5.7.0 authentication required");
                else if (verb == "MAIL")
                {
                    from = Address(line);
                    to.Clear();
                    await writer.WriteLineAsync("250 ok");
                }
                else if (verb == "RCPT")
                {
                    to.Add(Address(line));
                    await writer.WriteLineAsync("250 ok");
                }
                else if (verb == "DATA")
                {
                    await writer.WriteLineAsync("354 go ahead");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } body && body != ".")
                        data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                    var message = new RelayedMessage(from, [.. to], Encoding.Latin1.GetBytes(data.ToString()));
                    if (Refuse || RefuseWhen?.Invoke(message) == true)
                        await writer.WriteLineAsync("554 5.7.1 relaying denied");
                    else
                    {
                        lock (_messages)
                            _messages.Add(message);
                        await writer.WriteLineAsync("250 2.0.0 queued");
                    }
                }
                else if (verb == "QUIT")
                {
                    await writer.WriteLineAsync("221 bye");
                    break;
                }
                else
                    await writer.WriteLineAsync("502 unknown");
            }
        }
        catch (Exception e)
            when (e
                    is IOException
                        or OperationCanceledException
                        or System.Security.Authentication.AuthenticationException
            ) { }
    }

    static string Address(string line)
    {
        var open = line.IndexOf('<');
        var close = line.IndexOf('>', open + 1);
        return open >= 0 && close > open ? line[(open + 1)..close] : "";
    }

    static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=relay.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(
            DateTimeOffset.UtcNow.AddDays(-1),
            DateTimeOffset.UtcNow.AddDays(1)
        );
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
