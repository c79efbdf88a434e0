using System.Text;
using CutoverEngine.Domain.Customers;

namespace CutoverEngine.Domain.Tests.Customers;

public sealed class WindowCalendarTests
{
    static readonly DateTimeOffset Opens = new(2026, 6, 11, 8, 0, 0, TimeSpan.Zero);

    static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    [Fact]
    public void Lines_are_folded_at_75_octets_without_splitting_a_character_and_unfold_to_the_escaped_text()
    {
        var description = string.Concat(Enumerable.Repeat("Société Générale — Zürich; paused, then resumed\n", 6));
        var ics = WindowCalendar.Write(
            [
                new CalendarWindow(
                    "w1.acme-prod@cutover-engine",
                    0,
                    Opens,
                    Opens.AddHours(1),
                    "Acme",
                    description,
                    false
                ),
            ],
            Opens.AddDays(-30),
            "Acme"
        );

        var lines = ics.Split("\r\n");
        Assert.Equal("", lines[^1]); // every line ends in CRLF
        Assert.All(
            lines,
            l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"{Encoding.UTF8.GetByteCount(l)}: {l}")
        );
        Assert.Contains(lines, l => l.StartsWith(' ')); // the description did need folding
        Assert.Contains("DESCRIPTION:" + WindowCalendar.Escape(description) + "\r\n", Unfold(ics));
        Assert.Contains(@"Zürich\; paused\, then resumed\n", Unfold(ics));
    }

    [Fact]
    public void Each_window_is_an_event_in_utc_and_a_cancelled_one_says_so()
    {
        var plus2 = new DateTimeOffset(2026, 6, 11, 10, 0, 0, TimeSpan.FromHours(2));
        var ics = Unfold(
            WindowCalendar.Write(
                [
                    new CalendarWindow("a@x", 0, plus2, plus2.AddMinutes(90), "A", "a", false),
                    new CalendarWindow("b@x", 3, Opens, Opens.AddHours(1), "B", "b", true),
                ],
                Opens,
                "Acme"
            )
        );

        Assert.Equal(2, ics.Split("BEGIN:VEVENT").Length - 1);
        Assert.Contains("UID:a@x\r\nSEQUENCE:0\r\nDTSTAMP:20260611T080000Z\r\nDTSTART:20260611T080000Z\r\n", ics);
        Assert.Contains("DTEND:20260611T093000Z\r\n", ics);
        Assert.Contains("UID:b@x\r\nSEQUENCE:3\r\n", ics);
        var b = ics[ics.IndexOf("UID:b@x", StringComparison.Ordinal)..];
        Assert.Contains("STATUS:CANCELLED", b);
        Assert.Contains("STATUS:CONFIRMED", ics[..ics.IndexOf("UID:b@x", StringComparison.Ordinal)]);
        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", ics);
        Assert.EndsWith("END:VCALENDAR\r\n", ics);
    }
}
