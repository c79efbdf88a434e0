using System.Globalization;
using System.Text;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using static CutoverEngine.Cli.Serve.Pages.PageLayout;

namespace CutoverEngine.Cli.Serve.Pages;

/// <summary>
/// GET /environments/{id}: what the inventory says of the environment, its latest cutover as the report shows it
/// (downtime by both measurements, step timeline, last verification round) and every journal entry naming it.
/// </summary>
public static class EnvironmentPage
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="environment">The inventory's entry; null when the inventory (no longer) lists it.</param>
    /// <param name="entries">The journal's entries for the environment, in sequence order.</param>
    public static string Render(string id, CutoverEnvironment? environment, IReadOnlyList<JournalEntry> entries, PageViewer viewer)
    {
        var html = new StringBuilder();
        html.Append("<h1>Environment <span id=\"environment-id\">").Append(E(id)).Append("</span></h1>\n<dl class=\"facts\">");
        if (environment is null)
            html.Append("<dt>Inventory</dt><dd>not in the inventory this server was started with</dd>");
        else
        {
            html.Append("<dt>Customer</dt><dd>").Append(E(environment.Customer)).Append("</dd>")
                .Append("<dt>Tier</dt><dd>").Append(E(environment.Tier.ToWireName())).Append("</dd>")
                .Append("<dt>Offering</dt><dd>").Append(E(environment.Offering.ToWireName())).Append("</dd>")
                .Append("<dt>IP strategy</dt><dd>").Append(E(environment.IpStrategy.ToWireName())).Append("</dd>")
                .Append("<dt>Sending domain</dt><dd>").Append(E(environment.SendingDomain)).Append("</dd>");
        }
        var waves = entries.Select(e => e.Wave).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        html.Append("<dt>Waves</dt><dd id=\"environment-waves\">")
            .Append(waves.Count == 0 ? "none" : string.Join(", ", waves.Select(w => Link(PathTo(AuditorPages.WavesPath, w), w))))
            .Append("</dd></dl>\n");

        if (entries.Count == 0)
        {
            html.Append("<p class=\"meta\">The journal has no entry for this environment: it has not been cut over.</p>\n");
            return Page($"Environment {id}", viewer, html.ToString());
        }

        var history = JournalHistoryReader.BuildEnvironment(id, entries);
        html.Append("<h2>Latest cutover</h2>\n");
        if (history.Attempts > 1)
            html.Append("<p class=\"meta\">").Append(history.Attempts.ToString(Inv)).Append(" cutovers were started for this environment; this is the last one. The timeline below has them all.</p>\n");
        WaveReportHtml.RenderEnvironment(html, EnvironmentReport.From(history));

        html.Append("<h2>Timeline</h2>\n<p class=\"meta\">Every journal entry naming this environment, oldest first.</p>\n")
            .Append("<table id=\"timeline\">\n<tr><th>#</th><th>Time (UTC)</th><th>Event</th><th>Wave</th><th>Step</th><th>Actor</th><th>Summary</th></tr>\n");
        foreach (var e in entries)
        {
            html.Append("<tr data-event=\"").Append(E(e.Event)).Append("\"><td class=\"num\">").Append(e.Sequence.ToString(Inv)).Append("</td><td>")
                .Append(e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", Inv)).Append("</td><td>").Append(E(e.Event)).Append("</td><td>")
                .Append(e.Wave is null ? "" : Link(PathTo(AuditorPages.WavesPath, e.Wave), e.Wave)).Append("</td><td>").Append(E(e.Step))
                .Append("</td><td>").Append(E(e.Actor)).Append("</td><td>").Append(E(JournalEntrySummary.Describe(e))).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
        return Page($"Environment {id}", viewer, html.ToString());
    }
}
