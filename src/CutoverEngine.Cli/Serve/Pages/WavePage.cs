using System.Globalization;
using System.Text;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using static CutoverEngine.Cli.Serve.Pages.PageLayout;

namespace CutoverEngine.Cli.Serve.Pages;

/// <summary>
/// GET /waves/{id}: the wave as stored (state, schedule), an index of its environments with their outcome and
/// downtime by both measurements, its own journal events, and the full wave report (the same renderer as
/// <c>cutover report</c>) with every environment linked to its timeline.
/// </summary>
public static class WavePage
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="report">The report built from the journal; null when the journal has no entry for the wave yet.</param>
    public static string Render(Wave wave, WaveReport? report, IReadOnlyList<WaveEvent> events, PageViewer viewer)
    {
        var html = new StringBuilder();
        html.Append("<h1>Wave <span id=\"wave-id\">").Append(E(wave.Id)).Append("</span></h1>\n<dl class=\"facts\">")
            .Append("<dt>State</dt><dd id=\"wave-state\">").Append(E(WaveNames.Of(wave.State))).Append("</dd>");
        if (wave.StateReason is not null)
            html.Append("<dt>Reason</dt><dd>").Append(E(wave.StateReason)).Append("</dd>");
        html.Append("<dt>Planned start</dt><dd>").Append(WaveReportHtml.Time(wave.PlannedStart)).Append("</dd>")
            .Append("<dt>Scheduled for</dt><dd>").Append(WaveReportHtml.Time(wave.ScheduledFor)).Append("</dd>")
            .Append("<dt>Parallel</dt><dd>").Append(wave.Parallel.ToString(Inv)).Append("</dd>")
            .Append("<dt>Order</dt><dd>").Append(E(WaveNames.Of(wave.Order))).Append("</dd>")
            .Append("<dt>Report</dt><dd>").Append(Link(PathTo(AuditorPages.WavesPath, wave.Id) + "/report.html", "report.html"))
            .Append(" &middot; ").Append(Link(PathTo(AuditorPages.WavesPath, wave.Id) + "/report.json", "report.json")).Append("</dd></dl>\n");

        EnvironmentIndex(html, wave, report);
        Events(html, events);
        if (report is null)
            html.Append("<p class=\"meta\">The journal has no entry for this wave yet: nothing has run.</p>\n");
        else
        {
            html.Append("<h2>Report</h2>\n");
            WaveReportHtml.RenderSections(html, report, environment => PathTo(AuditorPages.EnvironmentsPath, environment));
        }
        return Page($"Wave {wave.Id}", viewer, html.ToString());
    }

    /// <summary>One row per environment of the wave, in the wave's order, including those the journal has not seen yet.</summary>
    static void EnvironmentIndex(StringBuilder html, Wave wave, WaveReport? report)
    {
        var byId = report?.Environments.ToDictionary(e => e.Environment, StringComparer.Ordinal) ?? [];
        var ids = wave.Environments.Concat(byId.Keys.Where(k => !wave.Environments.Contains(k, StringComparer.Ordinal)));
        html.Append("<h2>Environments</h2>\n<table id=\"environments\">\n<tr><th>Environment</th><th>Customer</th><th>Outcome</th>")
            .Append("<th>Downtime (engine)</th><th>Gap (sending side)</th><th>Window budget used</th><th>Rollback cause</th></tr>\n");
        foreach (var id in ids)
        {
            var e = byId.GetValueOrDefault(id);
            var outcome = e?.Outcome ?? CutoverOutcomes.NotStarted;
            html.Append("<tr data-environment=\"").Append(E(id)).Append("\"><td>").Append(Link(PathTo(AuditorPages.EnvironmentsPath, id), id)).Append("</td>")
                .Append("<td>").Append(E(e?.Customer)).Append("</td>")
                .Append("<td class=\"").Append(WaveReportHtml.OutcomeClass(outcome)).Append("\" data-outcome=\"").Append(E(outcome)).Append("\">")
                .Append(E(WaveReportHtml.Label(outcome))).Append("</td>");
            Seconds(html, "downtime", e?.EngineDowntimeSeconds);
            Seconds(html, "sending-gap", e?.SendingGapSeconds);
            html.Append("<td class=\"num\" data-field=\"window-share\">").Append(WaveReportHtml.Share(e?.WindowBudgetUsed, e?.WindowBudgetSeconds)).Append("</td>")
                .Append("<td>").Append(E(e?.RollbackCause)).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>A duration cell: shown rounded, with the exact recorded value in data-seconds for whoever checks it.</summary>
    static void Seconds(StringBuilder html, string field, double? seconds)
    {
        html.Append("<td class=\"num\" data-field=\"").Append(field).Append('"');
        if (seconds is { } s)
            html.Append(" data-seconds=\"").Append(s.ToString("R", Inv)).Append('"');
        html.Append('>').Append(WaveReportHtml.Seconds(seconds)).Append("</td>");
    }

    static void Events(StringBuilder html, IReadOnlyList<WaveEvent> events)
    {
        html.Append("<h2>Wave events</h2>\n");
        if (events.Count == 0)
        {
            html.Append("<p class=\"meta\">None journaled.</p>\n");
            return;
        }
        html.Append("<table id=\"wave-events\">\n<tr><th>#</th><th>Time (UTC)</th><th>Event</th><th>Actor</th><th>Environment</th><th>Summary</th></tr>\n");
        foreach (var e in events)
        {
            html.Append("<tr><td class=\"num\">").Append(e.Sequence.ToString(Inv)).Append("</td><td>").Append(WaveReportHtml.Time(e.At)).Append("</td><td>")
                .Append(E(e.Event)).Append("</td><td>").Append(E(e.Actor)).Append("</td><td>")
                .Append(e.Environment is null ? "" : Link(PathTo(AuditorPages.EnvironmentsPath, e.Environment), e.Environment))
                .Append("</td><td>").Append(E(e.Summary)).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }
}
