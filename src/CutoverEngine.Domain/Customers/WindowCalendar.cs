using System.Globalization;
using System.Text;

namespace CutoverEngine.Domain.Customers;

/// <summary>One maintenance window as a calendar event: the window a customer was told, or its cancellation.</summary>
/// <param name="Uid">Stable across reschedules, so a calendar replaces the event instead of adding one.</param>
/// <param name="Sequence">Grows with each revision (RFC 5545 3.8.7.4): a later notice supersedes an earlier
/// one.</param>
public sealed record CalendarWindow(
    string Uid,
    int Sequence,
    DateTimeOffset Opens,
    DateTimeOffset Closes,
    string Summary,
    string Description,
    bool Cancelled
);

/// <summary>
/// Writes windows as an iCalendar document (RFC 5545): UTC times, text escaped (backslash, semicolon, comma,
/// newline) and content lines folded at 75 octets without splitting a UTF-8 sequence, CRLF line ends. What calendar
/// clients import; the feed per customer and the notices' attachment use it.
/// </summary>
public static class WindowCalendar
{
    public const string MediaType = "text/calendar";
    const int MaxLineOctets = 75;

    /// <summary>The event's UID: one per wave and environment, what a calendar keys its revisions by.</summary>
    public static string EventUid(string waveId, string environmentId) => $"{waveId}.{environmentId}@cutover-engine";

    /// <param name="method">PUBLISH for a feed; REQUEST or CANCEL for an invitation (RFC 5546), which names its
    /// <paramref name="organizer"/>.</param>
    public static string Write(
        IEnumerable<CalendarWindow> windows,
        DateTimeOffset stamp,
        string name,
        string method = "PUBLISH",
        string? organizer = null
    )
    {
        ArgumentNullException.ThrowIfNull(windows);
        var lines = new List<string>
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//CutoverEngine//Maintenance windows//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:" + method,
            "X-WR-CALNAME:" + Escape(name),
        };
        foreach (var w in windows)
        {
            lines.Add("BEGIN:VEVENT");
            lines.Add("UID:" + Escape(w.Uid));
            lines.Add("SEQUENCE:" + w.Sequence.ToString(CultureInfo.InvariantCulture));
            lines.Add("DTSTAMP:" + Utc(stamp));
            if (organizer is not null)
                lines.Add("ORGANIZER:mailto:" + organizer);
            lines.Add("DTSTART:" + Utc(w.Opens));
            lines.Add("DTEND:" + Utc(w.Closes));
            lines.Add("SUMMARY:" + Escape(w.Summary));
            lines.Add("DESCRIPTION:" + Escape(w.Description));
            lines.Add("STATUS:" + (w.Cancelled ? "CANCELLED" : "CONFIRMED"));
            lines.Add("TRANSP:OPAQUE");
            lines.Add("END:VEVENT");
        }
        lines.Add("END:VCALENDAR");
        var text = new StringBuilder();
        foreach (var line in lines)
            Fold(line, text);
        return text.ToString();
    }

    static string Utc(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>TEXT escaping of RFC 5545 3.3.11.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\n", StringComparison.Ordinal);

    /// <summary>Lines longer than 75 octets continue on the next line after one space (RFC 5545 3.1).</summary>
    static void Fold(string line, StringBuilder text)
    {
        var octets = 0;
        var limit = MaxLineOctets;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                text.Append("\r\n ");
                octets = 0;
                limit = MaxLineOctets - 1; // the leading space counts
            }
            text.Append(rune.ToString());
            octets += size;
        }
        text.Append("\r\n");
    }
}
