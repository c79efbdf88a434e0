using System.Globalization;
using System.Text;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using static CutoverEngine.Cli.Serve.Pages.PageLayout;

namespace CutoverEngine.Cli.Serve.Pages;

/// <summary>One wave in the list, with its cutovers counted by the outcome the wave store recorded.</summary>
public sealed record WaveListRow(Wave Wave, int Completed, int RolledBack, int Failed, int InFlight, int NotStarted)
{
    /// <param name="cutovers">The wave's cutovers: environment -> outcome, null while in flight.</param>
    public static WaveListRow Of(Wave wave, IReadOnlyDictionary<string, string?> cutovers)
    {
        int completed = 0, rolledBack = 0, failed = 0, inFlight = 0;
        foreach (var environment in wave.Environments)
        {
            if (!cutovers.TryGetValue(environment, out var outcome)) continue;
            switch (outcome)
            {
                case null: inFlight++; break;
                case CutoverOutcomes.Completed: completed++; break;
                case "rolled-back": rolledBack++; break;
                default: failed++; break;
            }
        }
        return new WaveListRow(wave, completed, rolledBack, failed, inFlight, wave.Environments.Count - completed - rolledBack - failed - inFlight);
    }
}

/// <summary>GET /waves: every wave with its state, planned start and how its cutovers ended so far.</summary>
public static class WaveListPage
{
    public static string Render(IReadOnlyList<WaveListRow> rows, PageViewer viewer)
    {
        var html = new StringBuilder("<h1>Waves</h1>\n");
        if (rows.Count == 0)
        {
            html.Append("<p>No waves yet. Operators create them with <code>cutover wave create</code> or <code>POST /api/waves</code>.</p>\n");
            return Page("Waves", viewer, html.ToString());
        }
        html.Append("<table id=\"waves\">\n<tr><th>Wave</th><th>State</th><th>Planned start (UTC)</th><th>Scheduled for (UTC)</th><th>Environments</th>")
            .Append("<th>Completed</th><th>Rolled back</th><th>Failed</th><th>In flight</th><th>Not started</th></tr>\n");
        foreach (var row in rows)
        {
            var w = row.Wave;
            html.Append("<tr data-wave=\"").Append(E(w.Id)).Append("\"><td>").Append(Link(PathTo(AuditorPages.WavesPath, w.Id), w.Id)).Append("</td>")
                .Append("<td data-state=\"").Append(E(WaveNames.Of(w.State))).Append("\">").Append(E(WaveNames.Of(w.State)));
            if (w.StateReason is not null)
                html.Append(" <span class=\"meta\">(").Append(E(w.StateReason)).Append(")</span>");
            html.Append("</td><td>").Append(WaveReportHtml.Time(w.PlannedStart)).Append("</td><td>").Append(WaveReportHtml.Time(w.ScheduledFor)).Append("</td>");
            foreach (var (name, count) in new[] { ("environments", w.Environments.Count), ("completed", row.Completed), ("rolled-back", row.RolledBack), ("failed", row.Failed), ("in-flight", row.InFlight), ("not-started", row.NotStarted) })
                html.Append("<td class=\"num\" data-count=\"").Append(name).Append("\">").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
        return Page("Waves", viewer, html.ToString());
    }
}
