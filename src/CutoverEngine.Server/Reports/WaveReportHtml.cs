using System.Globalization;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Server.Rendering;

namespace CutoverEngine.Server.Reports;

/// <summary>
/// Renders a <see cref="WaveReport"/> as one self-contained HTML page (<see cref="WaveReportDocument"/> and the
/// components it is made of): inline CSS and inline SVG, no JavaScript, no external resources, so it can be mailed
/// or archived as is. Environment ids, customer names and causes come from data; the renderer encodes them. This
/// class holds the entry points and the formats the components and the auditor pages share.
/// </summary>
public static class WaveReportHtml
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The whole report as one document, as <c>cutover report</c> writes it to report.html.</summary>
    public static Task<string> RenderAsync(WaveReport report) =>
        ComponentHtml.RenderAsync<WaveReportDocument>(
            new Dictionary<string, object?> { [nameof(WaveReportDocument.Report)] = report }
        );

    /// <summary>The downtime chart alone (an <c>svg</c> element), as the report embeds it.</summary>
    public static Task<string> DowntimeChartAsync(WaveReport report) =>
        ComponentHtml.RenderAsync<DowntimeChart>(
            new Dictionary<string, object?> { [nameof(DowntimeChart.Report)] = report }
        );

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

    /// <summary>A label cut to <paramref name="max"/> characters with an ellipsis, so the chart's axes stay
    /// legible.</summary>
    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "\u2026";

    /// <summary>A chart coordinate in whole pixels.</summary>
    public static string N0(double value) => value.ToString("0", Inv);

    /// <summary>A chart coordinate to a tenth of a pixel (trailing zero dropped).</summary>
    public static string N1(double value) => value.ToString("0.#", Inv);

    /// <summary>A count or sequence number, culture-invariant.</summary>
    public static string Number(long value) => value.ToString(Inv);

    /// <summary>UTC to the second, "2026-11-26 22:34:26Z"; "-" when unknown.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", Inv) : "-";

    /// <summary>"12.3 s" under a minute, "4 min 05 s" above; "-" when unknown.</summary>
    public static string Seconds(double? seconds) =>
        seconds switch
        {
            null => "-",
            < 60 => seconds.Value.ToString("0.0", Inv) + " s",
            _ => string.Create(
                Inv,
                $"{Math.Floor(Math.Round(seconds.Value) / 60):0} min {Math.Round(seconds.Value) % 60:00} s"
            ),
        };

    /// <summary>Minutes with one decimal; under a minute in seconds, so a short pause does not read "0.1
    /// min".</summary>
    public static string Minutes(double? seconds) =>
        seconds switch
        {
            null => "-",
            < 60 => seconds.Value.ToString("0.0", Inv) + " s",
            _ => (seconds.Value / 60).ToString("0.0", Inv) + " min",
        };

    /// <summary>Share of the window budget, "7.5% of 60 min".</summary>
    public static string Share(double? used, double? budgetSeconds) =>
        used is { } u
            ? (u * 100).ToString(u < 0.1 ? "0.0" : "0", Inv)
                + "%"
                + (budgetSeconds is { } b ? " of " + (b / 60).ToString("0", Inv) + " min" : "")
            : "-";

    /// <summary>An outcome in words: "rolled back".</summary>
    public static string Label(string outcome) => outcome.Replace('-', ' ');

    /// <summary>The style class of an outcome; unknown outcomes are styled as failures.</summary>
    public static string OutcomeClass(string outcome) =>
        outcome switch
        {
            CutoverOutcomes.Completed
            or CutoverOutcomes.RolledBack
            or CutoverOutcomes.Failed
            or CutoverOutcomes.InProgress
            or CutoverOutcomes.NotStarted => outcome,
            _ => CutoverOutcomes.Failed,
        };

    /// <summary>The style class of a step run: pass, fail, or none while running.</summary>
    public static string StepClass(string state) =>
        state == StepStates.Failed ? "fail"
        : state == StepStates.Completed ? "pass"
        : "";

    public static string BarColour(string outcome) =>
        outcome switch
        {
            CutoverOutcomes.Completed => "#2e7d32",
            CutoverOutcomes.RolledBack => "#ef8a17",
            CutoverOutcomes.InProgress or CutoverOutcomes.NotStarted => "#9aa3ae",
            _ => "#c62828",
        };

    public static string StepColour(string state) =>
        state switch
        {
            StepStates.Completed => "#4a7fd4",
            StepStates.Failed => "#c62828",
            _ => "#9aa3ae",
        };
}
