using System.Globalization;
using System.Net;
using System.Text;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Waves;

/// <summary>Sending notices through an SMTP relay (section "Waves:Notice:Smtp"). No relay: notices go to files only.</summary>
public sealed class NoticeSmtpOptions
{
    public const string SectionName = "Waves:Notice:Smtp";

    /// <summary>The relay as HOST:PORT (e.g. "smtp.example.net:25"). Default none: files only.</summary>
    public string? Relay { get; set; }

    /// <summary>Envelope and header sender. Default "cutover-notices@localhost".</summary>
    public string From { get; set; } = "cutover-notices@localhost";

    /// <summary>Recipient per environment; {domain} is its sending domain, {customer} its customer. Default "postmaster@{domain}".</summary>
    public string RecipientTemplate { get; set; } = "postmaster@{domain}";

    /// <summary>Name given in EHLO. Default "cutover-engine".</summary>
    public string HeloName { get; set; } = "cutover-engine";

    /// <summary>Connect and per-reply timeout. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>One environment's notice: to whom, subject and text (with the window).</summary>
public sealed record RenderedNotice(CutoverEnvironment Environment, string Recipient, string Subject, string Body)
{
    /// <summary>The file form: addressee and subject lines, blank line, body.</summary>
    public string Text => $"To: {Environment.Customer} <{Recipient}>\nSubject: {Subject}\n\n{Body}";
}

/// <summary>What happened to one environment's notice. <see cref="Error"/> null means delivered and recorded.</summary>
public sealed record NoticeOutcome(string EnvironmentId, string File, string? Relay, string? Error);

/// <summary>
/// `cutover wave notify`: renders each environment's notice with its window to a file and, with a relay, hands it
/// over by SMTP. The notified instant is recorded only once the notice was given: written (files only) or accepted
/// by the relay with 250. A refused or unreachable relay records nothing for that environment, so the notice
/// policy does not count a notice nobody received.
/// </summary>
public sealed class WaveNotices(WaveService waves, NoticeSmtpOptions smtp, TimeProvider clock)
{
    public RenderedNotice Render(Wave wave, CutoverEnvironment e)
    {
        var start = wave.ScheduledFor ?? wave.PlannedStart;
        var window = e.WindowBudget ?? TimeSpan.FromMinutes(30);
        var recipient = smtp.RecipientTemplate.Replace("{domain}", e.SendingDomain, StringComparison.Ordinal).Replace("{customer}", e.Customer, StringComparison.Ordinal);
        var subject = $"Planned maintenance of your {e.Tier.ToWireName()} email sending ({e.Id})";
        var body = string.Create(CultureInfo.InvariantCulture,
            $"Your environment {e.Id} ({e.SendingDomain}) moves to new infrastructure in wave {wave.Id}.\nWindow: {start:yyyy-MM-dd HH:mm} UTC to {start + window:yyyy-MM-dd HH:mm} UTC.\nSending is paused briefly during the window; queued mail is delivered afterwards.\n");
        return new RenderedNotice(e, recipient, subject, body);
    }

    /// <summary>Parses HOST:PORT; the error names the setting and the value.</summary>
    public static DnsEndPoint ParseRelay(string text, string source)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new FormatException($"{source}: '{text}' is not HOST:PORT (e.g. smtp.example.net:25).");
        return new DnsEndPoint(text[..colon].Trim('[', ']'), port);
    }

    /// <summary>Writes, sends (when <paramref name="relay"/> is given) and records each environment's notice; continues past failures.</summary>
    public async Task<IReadOnlyList<NoticeOutcome>> NotifyAsync(Wave wave, string directory, DnsEndPoint? relay, string actor, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var outcomes = new List<NoticeOutcome>();
        foreach (var e in waves.Inventory.Select(wave.Environments))
        {
            var notice = Render(wave, e);
            var file = Path.Combine(directory, $"{wave.Id}-{e.Id}.txt");
            await File.WriteAllTextAsync(file, notice.Text, ct);
            var relayName = relay is null ? null : $"{relay.Host}:{relay.Port}";
            string? error = null;
            if (relay is not null)
            {
                try
                {
                    var (code, reply) = await SendAsync(wave, notice, relay, ct);
                    if (code != 250) error = $"relay {relayName} refused the notice to {notice.Recipient}: {code} {reply}";
                }
                catch (Exception x) when (x is SmtpProbeException or System.Net.Sockets.SocketException)
                {
                    error = $"relay {relayName}: {x.Message}";
                }
            }
            if (error is null) await waves.RecordNoticeAsync(wave.Id, e, actor, file, sent: relay is not null, ct);
            outcomes.Add(new NoticeOutcome(e.Id, file, relayName, error));
        }
        return outcomes;
    }

    async Task<(int Code, string Reply)> SendAsync(Wave wave, RenderedNotice notice, DnsEndPoint relay, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(relay.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(relay.Host, ct);
        if (addresses.Length == 0) throw new SmtpProbeException($"'{relay.Host}' has no address");
        await using var smtpSession = await SmtpConversation.OpenAsync(addresses[0], relay.Port, smtp.Timeout, ct);
        await smtpSession.EhloAsync(smtp.HeloName, ct);
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"From: <{smtp.From}>\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: {notice.Environment.Customer} <{notice.Recipient}>\r\n")
            .Append(CultureInfo.InvariantCulture, $"Subject: {notice.Subject}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {clock.GetUtcNow():r}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Message-ID: <notice.{wave.Id}.{notice.Environment.Id}.{clock.GetUtcNow().ToUnixTimeMilliseconds()}@cutover-engine>\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
            .Append(notice.Body)
            .ToString();
        return await smtpSession.SendMessageAsync(smtp.From, notice.Recipient, message, ct);
    }
}
