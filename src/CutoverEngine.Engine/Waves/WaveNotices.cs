using System.Globalization;
using System.Net;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;

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
/// `cutover wave notify`: renders each environment's notice (<see cref="NoticeMail"/>) to a file and, with a
/// relay, hands it over to the inventory's contacts. The notified instant is recorded only once the notice was
/// given: written (files only) or accepted by the relay. A refused or unreachable relay records nothing for that
/// environment, so the notice policy does not count a notice nobody received.
/// </summary>
public sealed class WaveNotices(WaveService waves, NoticeMail mail)
{
    /// <summary>Every environment's notice, in the wave's start order.</summary>
    public IReadOnlyList<RenderedNotice> Render(Wave wave) => mail.Render(wave);

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
        if (relayEndPoint is not null)
            mail.From();

        Directory.CreateDirectory(directory);
        var outcomes = new List<NoticeOutcome>();
        foreach (var notice in notices)
        {
            var e = notice.Environment;
            var file = Path.Combine(directory, $"{wave.Id}-{e.Id}.txt");
            await File.WriteAllTextAsync(file, notice.Text, ct);
            var relayName = relayEndPoint is null ? null : $"{relayEndPoint.Host}:{relayEndPoint.Port}";
            string? error = null;
            DateTimeOffset? accepted = null;
            if (relayEndPoint is not null)
            {
                try
                {
                    var sequence = await waves.Store.NextSequenceAsync(wave.Id, e.Id, ct);
                    accepted = await mail.SendAsync(relayEndPoint, wave, notice, sequence, NoticeKind.Window, ct);
                }
                catch (NoticeRelayException x)
                {
                    error = x.Message;
                }
            }
            if (error is null)
                await waves.RecordNoticeAsync(wave.Id, e, actor, file, sent: relayEndPoint is not null, accepted, ct);
            outcomes.Add(new NoticeOutcome(e.Id, file, relayName, error));
        }
        return outcomes;
    }
}
