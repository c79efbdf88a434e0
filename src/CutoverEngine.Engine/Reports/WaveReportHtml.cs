using System.Globalization;
using System.Net;
using System.Text;
using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Reports;

/// <summary>
/// Renders a <see cref="WaveReport"/> as one self-contained HTML page: inline CSS and inline SVG, no JavaScript, no
/// external resources, so it can be mailed or archived as is. Every value from the journal is HTML-encoded:
/// environment ids, customer names and causes come from data.
/// </summary>
public static class WaveReportHtml
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(WaveReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>Cutover report: wave ").Append(E(report.Wave)).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>Cutover report: wave ").Append(E(report.Wave)).Append("</h1>\n");
        RenderSections(html, report);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>
    /// The report's content without the document around it, for pages that embed it (the auditor pages of
    /// <c>cutover serve</c>). <paramref name="environmentLink"/>, when given, turns each environment's heading into a
    /// link to that address (an already escaped path is expected; it is HTML-encoded here).
    /// </summary>
    public static void RenderSections(StringBuilder html, WaveReport report, Func<string, string>? environmentLink = null)
    {
        html.Append("<p class=\"meta\">Journal entries from ").Append(Time(report.FirstEntryAt)).Append(" to ").Append(Time(report.LastEntryAt))
            .Append(". Generated ").Append(Time(report.GeneratedAt)).Append(".</p>\n");

        Statistics(html, report);
        html.Append("<h2>Downtime per environment</h2>\n");
        html.Append(DowntimeChart(report)).Append('\n');
        Rollbacks(html, report);
        Customers(html, report);
        html.Append("<h2>Environments</h2>\n");
        foreach (var environment in report.Environments)
            RenderEnvironment(html, environment, environmentLink?.Invoke(environment.Environment));
    }

    /// <summary>The report's style sheet, shared by the pages that embed the report.</summary>
    public const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1d2430;max-width:1100px}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d5dae1;padding-bottom:.2rem}
        h3{font-size:1.05rem;margin:1.4rem 0 .4rem}.meta{color:#5b6473;margin-top:0}
        table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.9rem}th,td{border:1px solid #d5dae1;padding:.25rem .5rem;text-align:left;vertical-align:top}
        th{background:#f1f3f6}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .completed{color:#1a7f37}.rolled-back{color:#b35900}.failed{color:#c62828}.in-progress,.not-started{color:#5b6473}
        .warn{color:#c62828;font-weight:600}.pass{color:#1a7f37}.fail{color:#c62828;font-weight:600}
        .stats{display:flex;flex-wrap:wrap;gap:.8rem}.stat{border:1px solid #d5dae1;border-radius:6px;padding:.5rem .8rem;min-width:8rem}
        .stat b{display:block;font-size:1.3rem}.env{border:1px solid #d5dae1;border-radius:6px;padding:.2rem 1rem .6rem;margin:1rem 0}
        svg text{font-family:system-ui,sans-serif}
        """;

    static void Statistics(StringBuilder html, WaveReport report)
    {
        var s = report.Statistics;
        html.Append("<h2>Wave statistics</h2>\n<div class=\"stats\">\n");
        Stat(html, "Environments", s.Environments.ToString(Inv));
        foreach (var (outcome, count) in s.Outcomes)
            Stat(html, Label(outcome), count.ToString(Inv));
        Stat(html, "Downtime p50", Minutes(s.DowntimeP50Seconds));
        Stat(html, "Downtime p95", Minutes(s.DowntimeP95Seconds));
        Stat(html, "Downtime max", Minutes(s.DowntimeMaxSeconds));
        Stat(html, "Over 30 min", s.Over30Minutes.ToString(Inv));
        Stat(html, "Over 60 min", s.Over60Minutes.ToString(Inv));
        Stat(html, "Rollbacks", s.Rollbacks.ToString(Inv));
        Stat(html, "AWS requests", s.AwsAttempts.ToString(Inv));
        Stat(html, "AWS retries", s.AwsRetries.ToString(Inv));
        Stat(html, "AWS throttles", s.AwsThrottles.ToString(Inv));
        html.Append("</div>\n<p class=\"meta\">Percentiles (nearest rank) over the ").Append(s.MeasuredCompleted.ToString(Inv))
            .Append(" completed cutovers with a recorded downtime, by the engine's measurement.");
        if (s.MeasurementDisagreements > 0)
            html.Append(" <span class=\"warn\">").Append(s.MeasurementDisagreements.ToString(Inv)).Append(" environment(s) where the engine and the sending side disagree.</span>");
        html.Append("</p>\n");
    }

    static void Stat(StringBuilder html, string label, string value) =>
        html.Append("<div class=\"stat\">").Append(E(label)).Append("<b>").Append(E(value)).Append("</b></div>\n");

    static void Rollbacks(StringBuilder html, WaveReport report)
    {
        html.Append("<h2>Rollbacks</h2>\n");
        if (report.Rollbacks.Count == 0)
        {
            html.Append("<p>None.</p>\n");
            return;
        }
        html.Append("<table>\n<tr><th>Environment</th><th>Customer</th><th>Outcome</th><th>At</th><th>Step</th><th>Cause</th><th>Not restored</th></tr>\n");
        foreach (var r in report.Rollbacks)
        {
            html.Append("<tr><td>").Append(E(r.Environment)).Append("</td><td>").Append(E(r.Customer ?? "")).Append("</td><td class=\"")
                .Append(OutcomeClass(r.Outcome)).Append("\">").Append(E(Label(r.Outcome))).Append("</td><td>").Append(Time(r.At))
                .Append("</td><td>").Append(E(r.AtStep ?? "")).Append("</td><td>").Append(E(r.Cause ?? "(not recorded)"))
                .Append("</td><td>").Append(E(string.Join("; ", r.Problems))).Append("</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    static void Customers(StringBuilder html, WaveReport report)
    {
        html.Append("<h2>Customer summary</h2>\n<p class=\"meta\">For support to pass on. Times are UTC.</p>\n");
        foreach (var customer in report.Customers)
        {
            html.Append("<h3>").Append(E(customer.Customer)).Append("</h3>\n<table>\n<tr><th>Environment</th><th>Cut over (UTC)</th><th>Sending paused</th><th>Result</th></tr>\n");
            foreach (var e in customer.Environments)
            {
                html.Append("<tr><td>").Append(E(e.Environment)).Append("</td><td>").Append(Time(e.CutOverAt)).Append("</td><td>")
                    .Append(E(e.DowntimeSeconds is { } s ? Duration.Plain(s) : "-")).Append("</td><td>").Append(E(e.Result)).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
    }

    /// <summary>One environment: downtime by both measurements, window share, step timeline and last verification round.</summary>
    public static void RenderEnvironment(StringBuilder html, EnvironmentReport e, string? link = null)
    {
        html.Append("<div class=\"env\" data-environment=\"").Append(E(e.Environment)).Append("\">\n<h3>");
        if (link is null)
            html.Append(E(e.Environment));
        else
            html.Append("<a href=\"").Append(E(link)).Append("\">").Append(E(e.Environment)).Append("</a>");
        if (e.Customer is not null)
            html.Append(" <span class=\"meta\">(").Append(E(e.Customer)).Append(")</span>");
        html.Append(" &mdash; <span class=\"").Append(OutcomeClass(e.Outcome)).Append("\">").Append(E(Label(e.Outcome))).Append("</span></h3>\n");

        html.Append("<table>\n<tr><th>Downtime (engine)</th><th>Gap (sending side)</th><th>Measurements</th><th>Window budget used</th><th>Paused</th><th>Resumed</th><th>AWS requests / retries / throttles</th></tr>\n<tr>")
            .Append("<td class=\"num\">").Append(Seconds(e.EngineDowntimeSeconds)).Append("</td>")
            .Append("<td class=\"num\">").Append(Seconds(e.SendingGapSeconds)).Append("</td>")
            .Append(e.MeasurementsDisagree
                ? "<td class=\"warn\">disagree: " + E(e.Disagreement ?? "") + "</td>"
                : e.EngineDowntimeSeconds is null || e.SendingGapSeconds is null ? "<td>-</td>" : "<td>agree</td>")
            .Append("<td class=\"num").Append(e.WindowBudgetUsed > 1 ? " warn" : "").Append("\">").Append(Share(e.WindowBudgetUsed, e.WindowBudgetSeconds)).Append("</td>")
            .Append("<td>").Append(Time(e.PausedAt)).Append("</td><td>").Append(Time(e.ResumedAt)).Append("</td>")
            .Append("<td class=\"num\">").Append(e.AwsAttempts.ToString(Inv)).Append(" / ").Append(e.AwsRetries.ToString(Inv)).Append(" / ").Append(e.AwsThrottles.ToString(Inv)).Append("</td>")
            .Append("</tr>\n</table>\n");
        if (e.RollbackCause is not null)
            html.Append("<p><b>Rollback cause:</b> ").Append(E(e.RollbackCause)).Append("</p>\n");
        if (e.PrunedEntries > 0)
            html.Append("<p class=\"meta\">").Append(e.PrunedEntries.ToString(Inv)).Append(" entries have had their payloads removed by retention; their details are missing.</p>\n");

        if (e.Steps.Count > 0)
        {
            html.Append(StepGantt(e)).Append('\n');
            html.Append("<table>\n<tr><th>Step</th><th>State</th><th>Offset</th><th>Duration</th><th>Summary or cause</th></tr>\n");
            foreach (var s in e.Steps)
            {
                html.Append("<tr><td>").Append(E(s.Step)).Append("</td><td class=\"").Append(StepClass(s.State)).Append("\">").Append(E(s.State))
                    .Append("</td><td class=\"num\">+").Append(Seconds(s.OffsetSeconds)).Append("</td><td class=\"num\">").Append(Seconds(s.DurationSeconds))
                    .Append("</td><td>").Append(E(s.Cause ?? s.Summary ?? "")).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }

        html.Append("<p><b>Verification</b>");
        if (e.LastCheckRound is { } round)
            html.Append(" (last round, #").Append(round.ToString(Inv)).Append(')');
        html.Append("</p>\n");
        if (e.LastChecks.Count == 0)
            html.Append("<p class=\"meta\">No verification round recorded.</p>\n");
        else
        {
            html.Append("<table>\n<tr><th>Check</th><th>Subject</th><th>Result</th><th>Expected</th><th>Observed</th><th>Detail</th></tr>\n");
            foreach (var c in e.LastChecks)
            {
                html.Append("<tr><td>").Append(E(c.Check)).Append("</td><td>").Append(E(c.Subject ?? "")).Append("</td><td class=\"")
                    .Append(c.Passed ? "pass\">passed" : "fail\">failed").Append("</td><td>").Append(E(c.Expected ?? "")).Append("</td><td>")
                    .Append(E(c.Observed ?? "")).Append("</td><td>").Append(E(c.Detail ?? "")).Append("</td></tr>\n");
            }
            html.Append("</table>\n");
        }
        html.Append("</div>\n");
    }

    /// <summary>
    /// Bars of the engine's downtime per environment, in minutes, against the 30- and 60-minute lines. One
    /// <c>rect class="bar"</c> per environment (zero height when no downtime was recorded) so the chart always
    /// lists the whole wave.
    /// </summary>
    public static string DowntimeChart(WaveReport report)
    {
        const double left = 60, right = 20, top = 20, plotHeight = 260, bottom = 110, minBarSlot = 28, minPlotWidth = 600;
        var environments = report.Environments;
        var slot = Math.Max(minBarSlot, minPlotWidth / Math.Max(1, environments.Count));
        var plotWidth = slot * Math.Max(1, environments.Count);
        var width = left + plotWidth + right;
        var height = top + plotHeight + bottom;

        var maxMinutes = environments.Select(e => (e.EngineDowntimeSeconds ?? 0) / 60).DefaultIfEmpty(0).Max();
        var axisMax = Math.Max(70, Math.Ceiling(maxMinutes * 1.1 / 10) * 10);
        var tick = axisMax <= 100 ? 10 : axisMax <= 200 ? 20 : Math.Ceiling(axisMax / 8 / 10) * 10;
        double Y(double minutes) => top + plotHeight - minutes / axisMax * plotHeight;

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"downtime-chart\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" role=\"img\" aria-label=\"Downtime per environment in minutes\">\n");
        svg.Append(Inv, $"<rect x=\"0\" y=\"0\" width=\"{width:0}\" height=\"{height:0}\" fill=\"#ffffff\"/>\n");
        // Axis with ticks in minutes.
        for (var m = 0.0; m <= axisMax + 1e-9; m += tick)
        {
            svg.Append(Inv, $"<line class=\"grid\" x1=\"{left:0}\" y1=\"{Y(m):0.#}\" x2=\"{left + plotWidth:0}\" y2=\"{Y(m):0.#}\" stroke=\"#eef0f3\"/>\n");
            svg.Append(Inv, $"<text x=\"{left - 6:0}\" y=\"{Y(m) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6473\">{m:0}</text>\n");
        }
        svg.Append(Inv, $"<line class=\"axis\" x1=\"{left:0}\" y1=\"{top:0}\" x2=\"{left:0}\" y2=\"{top + plotHeight:0}\" stroke=\"#1d2430\"/>\n");
        svg.Append(Inv, $"<line class=\"axis\" x1=\"{left:0}\" y1=\"{top + plotHeight:0}\" x2=\"{left + plotWidth:0}\" y2=\"{top + plotHeight:0}\" stroke=\"#1d2430\"/>\n");
        svg.Append(Inv, $"<text x=\"14\" y=\"{top + plotHeight / 2:0}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1d2430\" transform=\"rotate(-90 14 {top + plotHeight / 2:0})\">Downtime (minutes)</text>\n");

        for (var i = 0; i < environments.Count; i++)
        {
            var e = environments[i];
            var minutes = (e.EngineDowntimeSeconds ?? 0) / 60;
            var barWidth = Math.Min(slot * 0.6, 48);
            var x = left + i * slot + (slot - barWidth) / 2;
            // A short downtime still shows as a sliver: zero height would read as "no bar".
            var y = e.EngineDowntimeSeconds is > 0 ? Math.Min(Y(minutes), top + plotHeight - 2) : Y(minutes);
            var label = e.EngineDowntimeSeconds is { } s ? $"{E(e.Environment)}: {E(Minutes(s))} ({E(Label(e.Outcome))})" : $"{E(e.Environment)}: no downtime recorded ({E(Label(e.Outcome))})";
            svg.Append(Inv, $"<rect class=\"bar\" x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barWidth:0.#}\" height=\"{top + plotHeight - y:0.#}\" fill=\"{BarColour(e.Outcome)}\"><title>{label}</title></rect>\n");
            var cx = left + i * slot + slot / 2;
            if (e.EngineDowntimeSeconds is { } value)
                svg.Append(Inv, $"<text class=\"bar-value\" x=\"{cx:0.#}\" y=\"{y - 4:0.#}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#1d2430\">{E(Minutes(value))}</text>\n");
            var ly = top + plotHeight + 10;
            svg.Append(Inv, $"<text class=\"env-label\" x=\"{cx:0.#}\" y=\"{ly:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1d2430\" transform=\"rotate(-45 {cx:0.#} {ly:0.#})\">{E(Truncate(e.Environment, 22))}</text>\n");
        }

        foreach (var m in WaveReport.ReferenceMinutes)
        {
            var colour = m >= 60 ? "#c62828" : "#b35900";
            svg.Append(Inv, $"<line class=\"reference\" x1=\"{left:0}\" y1=\"{Y(m):0.#}\" x2=\"{left + plotWidth:0}\" y2=\"{Y(m):0.#}\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
            svg.Append(Inv, $"<text class=\"reference-label\" x=\"{left + plotWidth - 4:0}\" y=\"{Y(m) - 4:0.#}\" font-size=\"12\" text-anchor=\"end\" fill=\"{colour}\">{m:0} min</text>\n");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A small Gantt chart: one row per step run, offset and length to scale from the first step's start.</summary>
    public static string StepGantt(EnvironmentReport e)
    {
        const double labelWidth = 170, barArea = 560, row = 18, top = 6, axis = 22;
        var span = e.Steps.Select(s => s.OffsetSeconds + (s.DurationSeconds ?? 0)).DefaultIfEmpty(0).Max();
        if (span <= 0) span = 1;
        var width = labelWidth + barArea + 70;
        var height = top + e.Steps.Count * row + axis;
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"step-timeline\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" role=\"img\" aria-label=\"Step timeline\">\n");
        for (var i = 0; i < e.Steps.Count; i++)
        {
            var s = e.Steps[i];
            var y = top + i * row;
            var x = labelWidth + s.OffsetSeconds / span * barArea;
            var w = Math.Max(2, (s.DurationSeconds ?? 0) / span * barArea);
            svg.Append(Inv, $"<text x=\"{labelWidth - 6:0}\" y=\"{y + 12:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#1d2430\">{E(Truncate(s.Step, 26))}</text>\n");
            svg.Append(Inv, $"<rect class=\"step\" x=\"{x:0.#}\" y=\"{y + 2:0.#}\" width=\"{w:0.#}\" height=\"{row - 5:0.#}\" fill=\"{StepColour(s.State)}\"><title>{E(s.Step)}: +{E(Seconds(s.OffsetSeconds))}, {E(Seconds(s.DurationSeconds))} ({E(s.State)})</title></rect>\n");
            svg.Append(Inv, $"<text x=\"{x + w + 4:0.#}\" y=\"{y + 12:0.#}\" font-size=\"10\" fill=\"#5b6473\">{E(Seconds(s.DurationSeconds))}</text>\n");
        }
        var axisY = top + e.Steps.Count * row + 4;
        svg.Append(Inv, $"<line x1=\"{labelWidth:0}\" y1=\"{axisY:0.#}\" x2=\"{labelWidth + barArea:0}\" y2=\"{axisY:0.#}\" stroke=\"#5b6473\"/>\n");
        svg.Append(Inv, $"<text x=\"{labelWidth:0}\" y=\"{axisY + 14:0.#}\" font-size=\"10\" fill=\"#5b6473\">0 s</text>\n");
        svg.Append(Inv, $"<text x=\"{labelWidth + barArea:0}\" y=\"{axisY + 14:0.#}\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6473\">{E(Seconds(span))}</text>\n");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>HTML-encodes text for element content and double-quoted attributes alike.</summary>
    static string E(string text) => WebUtility.HtmlEncode(text);

    static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "\u2026";

    /// <summary>UTC to the second, "2026-11-26 22:34:26Z"; "-" when unknown.</summary>
    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", Inv) : "-";

    /// <summary>"12.3 s" under a minute, "4 min 05 s" above; "-" when unknown.</summary>
    public static string Seconds(double? seconds) => seconds switch
    {
        null => "-",
        < 60 => seconds.Value.ToString("0.0", Inv) + " s",
        _ => string.Create(Inv, $"{Math.Floor(Math.Round(seconds.Value) / 60):0} min {Math.Round(seconds.Value) % 60:00} s"),
    };

    /// <summary>Minutes with one decimal; under a minute in seconds, so a short pause does not read "0.1 min".</summary>
    public static string Minutes(double? seconds) => seconds switch
    {
        null => "-",
        < 60 => seconds.Value.ToString("0.0", Inv) + " s",
        _ => (seconds.Value / 60).ToString("0.0", Inv) + " min",
    };

    /// <summary>Share of the window budget, "7.5% of 60 min".</summary>
    public static string Share(double? used, double? budgetSeconds) => used is { } u
        ? (u * 100).ToString(u < 0.1 ? "0.0" : "0", Inv) + "%" + (budgetSeconds is { } b ? " of " + (b / 60).ToString("0", Inv) + " min" : "")
        : "-";

    /// <summary>An outcome in words: "rolled back".</summary>
    public static string Label(string outcome) => outcome.Replace('-', ' ');

    /// <summary>The style class of an outcome; unknown outcomes are styled as failures.</summary>
    public static string OutcomeClass(string outcome) => outcome switch
    {
        CutoverOutcomes.Completed or CutoverOutcomes.RolledBack or CutoverOutcomes.Failed or CutoverOutcomes.InProgress or CutoverOutcomes.NotStarted => outcome,
        _ => CutoverOutcomes.Failed,
    };

    static string StepClass(string state) => state == StepStates.Failed ? "fail" : state == StepStates.Completed ? "pass" : "";

    static string BarColour(string outcome) => outcome switch
    {
        CutoverOutcomes.Completed => "#2e7d32",
        CutoverOutcomes.RolledBack => "#ef8a17",
        CutoverOutcomes.InProgress or CutoverOutcomes.NotStarted => "#9aa3ae",
        _ => "#c62828",
    };

    static string StepColour(string state) => state switch
    {
        StepStates.Completed => "#4a7fd4",
        StepStates.Failed => "#c62828",
        _ => "#9aa3ae",
    };
}
