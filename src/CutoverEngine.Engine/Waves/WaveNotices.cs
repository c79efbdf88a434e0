using System.Globalization;
using System.Net;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using MimeKit;

namespace CutoverEngine.Engine.Waves;

/// <summary>What happened to one environment's notice. <see cref="Error"/> null means delivered and recorded.</summary>
public sealed record NoticeOutcome(string EnvironmentId, string File, string? Relay, string? Error);

/// <summary>A wave has environments whose customers the inventory names nobody to notify; nothing was sent.</summary>
public sealed class NoContactsException(string waveId, IReadOnlyList<CutoverEnvironment> environments)
    : InvalidOperationException(
        $"Refused to notify wave '{waveId}': no contacts in the inventory for "
            + string.Join(", ", environments.Select(e => $"{e.Id} ({e.Customer})"))
            + ". Add contacts: to the environment, or to its customer under customers:. Nothing was sent or recorded."
    )
{
    public IReadOnlyList<string> EnvironmentIds { get; } = [.. environments.Select(e => e.Id)];
}

/// <summary>
/// `cutover wave notify`: renders each environment's notice with the window the engine plans for it
/// (<see cref="EnvironmentWindow"/>, from the budget of the definition a wave starts with) to a file and, with a
/// relay, hands it over to the inventory's contacts (<see cref="NoticeRelay"/>). The notified instant is recorded
/// only once the notice was given: written (files only) or accepted by the relay. A refused or unreachable relay
/// records nothing for that environment, so the notice policy does not count a notice nobody received.
/// </summary>
public sealed class WaveNotices(
    WaveService waves,
    DefinitionCatalog definitions,
    NoticeRelay relay,
    NoticeSmtpOptions smtp,
    TimeProvider clock
)
{
    /// <summary>Every environment's notice, in the wave's start order.</summary>
    public IReadOnlyList<RenderedNotice> Render(Wave wave)
    {
        // The definition a wave started now would run (CutoverLauncher starts the latest).
        var budget = definitions.Latest(CutoverLauncher.DefinitionId).WindowBudget;
        var windows = EnvironmentWindow.InWave(wave, waves.Inventory.Select(wave.Environments), budget);
        return [.. windows.Select(w => Render(wave, w))];
    }

    static RenderedNotice Render(Wave wave, EnvironmentWindow window)
    {
        var e = window.Environment;
        var subject = $"{e.Customer}: planned maintenance of your {e.Tier.ToWireName()} email sending ({e.Id})";
        var body = string.Create(
            CultureInfo.InvariantCulture,
            $"Dear {e.Customer},\n\nYour environment {e.Id} ({e.SendingDomain}) moves to new infrastructure "
                + $"in wave {wave.Id}: "
                + $"{window.Describe()}.\nQueued mail is delivered once sending resumes.\n"
        );
        return new RenderedNotice(window, e.Contacts, subject, body);
    }

    /// <summary>Parses HOST:PORT; the error names the setting and the value.</summary>
    public static DnsEndPoint ParseRelay(string text, string source)
    {
        var colon = text.LastIndexOf(':');
        if (
            colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535
        )
            throw new FormatException($"{source}: '{text}' is not HOST:PORT (e.g. smtp.example.net:25).");
        return new DnsEndPoint(text[..colon].Trim('[', ']'), port);
    }

    /// <summary>
    /// Writes, sends (when <paramref name="relayEndPoint"/> is given) and records each environment's notice; continues
    /// past failures. Refused before anything is written when an environment has no contact
    /// (<see cref="NoContactsException"/>).
    /// </summary>
    public async Task<IReadOnlyList<NoticeOutcome>> NotifyAsync(
        Wave wave,
        string directory,
        DnsEndPoint? relayEndPoint,
        string actor,
        CancellationToken ct = default
    )
    {
        var notices = Render(wave);
        var uncontacted = notices.Where(n => n.Recipients.Count == 0).Select(n => n.Environment).ToList();
        if (uncontacted.Count > 0)
            throw new NoContactsException(wave.Id, uncontacted);
        MailboxAddress? from = null;
        if (relayEndPoint is not null && !MailboxAddress.TryParse(smtp.From, out from))
            throw new FormatException(
                $"{NoticeSmtpOptions.SectionName}:From (or --from): '{smtp.From}' is not a mail address."
            );

        Directory.CreateDirectory(directory);
        var outcomes = new List<NoticeOutcome>();
        foreach (var notice in notices)
        {
            var e = notice.Environment;
            var file = Path.Combine(directory, $"{wave.Id}-{e.Id}.txt");
            await File.WriteAllTextAsync(file, notice.Text, ct);
            var relayName = relayEndPoint is null ? null : $"{relayEndPoint.Host}:{relayEndPoint.Port}";
            string? error = null;
            if (relayEndPoint is not null)
            {
                try
                {
                    await relay.SendAsync(relayEndPoint, Message(wave, notice, from!), ct);
                }
                catch (NoticeRelayException x)
                {
                    error = x.Message;
                }
            }
            if (error is null)
                await waves.RecordNoticeAsync(wave.Id, e, actor, file, sent: relayEndPoint is not null, ct);
            outcomes.Add(new NoticeOutcome(e.Id, file, relayName, error));
        }
        return outcomes;
    }

    MimeMessage Message(Wave wave, RenderedNotice notice, MailboxAddress from)
    {
        var now = clock.GetUtcNow();
        var message = new MimeMessage { Subject = notice.Subject, Date = now };
        message.From.Add(from);
        foreach (var contact in notice.Recipients)
            message.To.Add(new MailboxAddress(contact.DisplayName, contact.Address));
        message.MessageId = $"notice.{wave.Id}.{notice.Environment.Id}.{now.ToUnixTimeMilliseconds()}@cutover-engine";
        // Quoted-printable keeps the UTF-8 body readable and 7-bit safe whatever the relay announces.
        message.Body = new TextPart(MimeKit.Text.TextFormat.Plain)
        {
            Text = notice.Body,
            ContentTransferEncoding = ContentEncoding.QuotedPrintable,
        };
        return message;
    }
}
