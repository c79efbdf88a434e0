using System.Globalization;
using System.Net;
using CutoverEngine.Domain.Customers;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using MimeKit;

namespace CutoverEngine.Engine.Waves;

/// <summary>The relay refused one of a wave's notices; those it accepted before are listed (sent, not
/// recorded).</summary>
public sealed class NoticesFailedException(
    string waveId,
    string operation,
    string environmentId,
    IReadOnlyList<string> accepted,
    NoticeRelayException inner
)
    : Exception(
        $"Refused to {operation} wave '{waveId}': the notice of {environmentId} was not sent: {inner.Message}. "
            + (accepted.Count == 0 ? "" : $"Sent before it, not recorded: {string.Join(", ", accepted)}. ")
            + "The wave is unchanged and no notice was recorded.",
        inner
    )
{
    public string EnvironmentId { get; } = environmentId;

    public IReadOnlyList<string> Accepted { get; } = accepted;
}

/// <summary>
/// Customers' notices as mail: each environment's text with the window the engine plans for it
/// (<see cref="EnvironmentWindow"/>, from the budget of the definition a wave starts with) and the window as an
/// iCalendar invitation (<see cref="WindowCalendar"/>): one UID per wave and environment and a SEQUENCE that grows
/// with each notice, so a calendar replaces the event on a reschedule and drops it on a cancel.
/// </summary>
public sealed class NoticeMail(
    Inventory inventory,
    DefinitionCatalog definitions,
    NoticeRelay relay,
    NoticeSmtpOptions smtp,
    TimeProvider clock
)
{
    /// <summary>The relay scheduling sends through (<see cref="NoticeSmtpOptions.Relay"/>), or null: files
    /// only.</summary>
    public DnsEndPoint? ConfiguredRelay =>
        smtp.Relay is { } text ? WaveNotices.ParseRelay(text, $"{NoticeSmtpOptions.SectionName}:Relay") : null;

    /// <summary>Every environment's notice, in the wave's start order.</summary>
    public IReadOnlyList<RenderedNotice> Render(Wave wave)
    {
        // The definition a wave started now would run (CutoverLauncher starts the latest).
        var budget = definitions.Latest(CutoverLauncher.DefinitionId).WindowBudget;
        var windows = EnvironmentWindow.InWave(wave, inventory.Select(wave.Environments), budget);
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

    /// <summary>The sender; the error names the setting.</summary>
    public MailboxAddress From() =>
        MailboxAddress.TryParse(smtp.From, out var from)
            ? from
            : throw new FormatException(
                $"{NoticeSmtpOptions.SectionName}:From (or --from): '{smtp.From}' is not a mail address."
            );

    /// <summary>Hands one notice to the relay; returns the instant the relay accepted it.</summary>
    /// <param name="sequence">The invitation's SEQUENCE (<see cref="WaveStore.NextSequenceAsync"/>).</param>
    public Task<DateTimeOffset> SendAsync(
        DnsEndPoint relayEndPoint,
        Wave wave,
        RenderedNotice notice,
        int sequence,
        NoticeKind kind,
        CancellationToken ct = default
    ) => SendAsync(relayEndPoint, wave, notice, sequence, kind, null, ct);

    /// <param name="messageId">The Message-ID to send under: the same one on every attempt of a message sent at
    /// least once (a reminder, a cancel), so a receiver can drop the copy a crashed attempt already delivered; null: a
    /// fresh one.</param>
    public async Task<DateTimeOffset> SendAsync(
        DnsEndPoint relayEndPoint,
        Wave wave,
        RenderedNotice notice,
        int sequence,
        NoticeKind kind,
        string? messageId,
        CancellationToken ct
    )
    {
        await relay.SendAsync(relayEndPoint, Message(wave, notice, From(), sequence, kind, messageId), ct);
        return clock.GetUtcNow();
    }

    /// <summary>The Message-ID of the reminder of <paramref name="environmentId"/> for the start at <paramref
    /// name="scheduledFor"/>: one per reminder, whatever the attempt.</summary>
    public static string ReminderMessageId(string waveId, string environmentId, DateTimeOffset scheduledFor) =>
        $"reminder.{waveId}.{environmentId}.{scheduledFor.ToUnixTimeMilliseconds()}@cutover-engine";

    /// <summary>The Message-ID of the cancel with <paramref name="sequence"/> of an environment's invitation.</summary>
    public static string CancelMessageId(string waveId, string environmentId, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"cancel.{waveId}.{environmentId}.{sequence}@cutover-engine");

    MimeMessage Message(
        Wave wave,
        RenderedNotice notice,
        MailboxAddress from,
        int sequence,
        NoticeKind kind,
        string? messageId
    )
    {
        var now = clock.GetUtcNow();
        var cancelled = kind == NoticeKind.Cancellation;
        var subject = (kind, sequence) switch
        {
            (NoticeKind.Cancellation, _) => "Cancelled: " + notice.Subject,
            (NoticeKind.Reminder, _) => "Reminder: " + notice.Subject,
            (_, > 0) => "Updated: " + notice.Subject,
            _ => notice.Subject,
        };
        var text = cancelled
            ? $"Dear {notice.Environment.Customer},\n\nThe maintenance of {notice.Environment.Id} in wave {wave.Id} "
                + "is cancelled; nothing changes on that date. Any new window comes in a notice of its own.\n"
            : notice.Body + (sequence > 0 ? "\nThis notice replaces the earlier one.\n" : "");
        var message = new MimeMessage { Subject = subject, Date = now };
        message.From.Add(from);
        foreach (var contact in notice.Recipients)
            message.To.Add(new MailboxAddress(contact.DisplayName, contact.Address));
        message.MessageId =
            messageId ?? $"notice.{wave.Id}.{notice.Environment.Id}.{now.ToUnixTimeMilliseconds()}@cutover-engine";
        var method = cancelled ? "CANCEL" : "REQUEST";
        var window = notice.Window;
        var calendar = WindowCalendar.Write(
            [
                new CalendarWindow(
                    WindowCalendar.EventUid(wave.Id, notice.Environment.Id),
                    sequence,
                    window.Opens,
                    window.Closes,
                    notice.Subject,
                    $"{notice.Environment.Id}, wave {wave.Id}: {window.Describe()}.",
                    cancelled
                ),
            ],
            now,
            $"{notice.Environment.Customer}: maintenance windows",
            method,
            from.Address
        );
        var invitation = new TextPart("calendar")
        {
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            FileName = $"{wave.Id}-{notice.Environment.Id}.ics",
        };
        invitation.ContentType.Parameters.Add("method", method);
        invitation.SetText("utf-8", calendar);
        // Quoted-printable keeps the UTF-8 body readable and 7-bit safe whatever the relay announces.
        var body = new TextPart(MimeKit.Text.TextFormat.Plain)
        {
            Text = text,
            ContentTransferEncoding = ContentEncoding.QuotedPrintable,
        };
        message.Body = new Multipart("mixed") { body, invitation };
        return message;
    }
}
