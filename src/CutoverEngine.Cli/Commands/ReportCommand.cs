using System.CommandLine;
using System.Text;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Server.Reports;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// <c>cutover report --wave ID [--out DIR] [--database PATH]</c>: writes <c>report.html</c> (self-contained) and
/// <c>report.json</c> for a wave from the audit journal, and prints their paths. Running it again overwrites both.
/// Exit codes: 0 written, 1 the journal has no entry for that wave, 2 no usable journal or the files cannot be written.
/// </summary>
public static class ReportCommand
{
    public const int ExitOk = 0;
    public const int ExitUnknown = 1;
    public const int ExitUnusable = 2;

    /// <summary>Where the files go without <c>--out</c>: <c>./reports/&lt;wave&gt;/</c>.</summary>
    public static string DefaultDirectory(string wave) => Path.Combine("reports", wave);

    public static Command Create()
    {
        var wave = new Option<string>("--wave") { Description = "The wave to report on.", Required = true };
        var output = new Option<string?>("--out")
        {
            Description = "Directory for report.html and report.json. Default: ./reports/<wave>/.",
        };
        var database = JournalDatabaseOption.Create();
        var command = new Command(
            "report",
            "Write an HTML and a JSON report of a wave from the audit journal: downtime per environment by both measurements, step timelines, statistics, rollbacks, a per-customer summary."
        );
        command.Options.Add(wave);
        command.Options.Add(output);
        command.Options.Add(database);
        command.SetAction(
            async (parse, ct) =>
                await RunAsync(
                    parse.GetValue(wave)!,
                    parse.GetValue(output),
                    parse.GetValue(database)!,
                    parse.InvocationConfiguration.Output,
                    parse.InvocationConfiguration.Error,
                    ct
                )
        );
        return command;
    }

    static async Task<int> RunAsync(
        string wave,
        string? outDirectory,
        string database,
        TextWriter output,
        TextWriter error,
        CancellationToken ct
    )
    {
        if (string.IsNullOrWhiteSpace(wave))
        {
            error.WriteLine("--wave needs a wave id.");
            return ExitUnusable;
        }
        if (
            outDirectory is null && wave.IndexOfAny([.. Path.GetInvalidFileNameChars(), '/', '\\']) >= 0
            || wave is "." or ".."
        )
        {
            error.WriteLine($"The wave id '{wave}' cannot be used as a directory name; give --out DIR.");
            return ExitUnusable;
        }
        try
        {
            JournalFile.RequireJournal(database);
        }
        catch (JournalUnavailableException e)
        {
            error.WriteLine(e.Message);
            return ExitUnusable;
        }

        WaveHistory? history;
        try
        {
            history = await new JournalHistoryReader(new SqliteJournal(database, TimeProvider.System)).ReadWaveAsync(
                wave,
                ct
            );
        }
        catch (Exception e) when (e is SqliteException or FormatException or InvalidCastException)
        {
            error.WriteLine(
                $"Reading the journal in '{database}' failed: {e.Message} Run `cutover audit verify --database {database}` to find the damaged entry."
            );
            return ExitUnusable;
        }
        if (history is null)
        {
            error.WriteLine(
                $"The journal in '{database}' has no entry for wave '{wave}'. Check the id (ids are case-sensitive); `cutover history --wave ID` shows a wave's entries."
            );
            return ExitUnknown;
        }

        var report = WaveReport.From(history, DateTimeOffset.UtcNow);
        var directory = Path.GetFullPath(outDirectory ?? DefaultDirectory(wave));
        var htmlPath = Path.Combine(directory, "report.html");
        var jsonPath = Path.Combine(directory, "report.json");
        try
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(
                htmlPath,
                await WaveReportHtml.RenderAsync(report),
                new UTF8Encoding(false),
                ct
            );
            await File.WriteAllTextAsync(jsonPath, WaveReportJson.Serialize(report), new UTF8Encoding(false), ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Writing the report to '{directory}' failed: {e.Message}");
            return ExitUnusable;
        }
        output.WriteLine(htmlPath);
        output.WriteLine(jsonPath);
        return ExitOk;
    }
}
