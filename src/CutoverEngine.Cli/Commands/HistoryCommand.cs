using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CutoverEngine.Engine.Audit;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Cli.Commands;

/// <summary>How <c>cutover history</c> writes the timeline.</summary>
public enum HistoryFormat
{
    /// <summary>Aligned columns for a terminal, then the outcome of each environment.</summary>
    Text,

    /// <summary>An array of entries, each with its payload parsed.</summary>
    Json,

    /// <summary>RFC 4180: a header row, CRLF line ends, fields quoted when they hold commas, quotes or line
    /// breaks.</summary>
    Csv,
}

/// <summary>
/// <c>cutover history (--environment ID | --wave ID)</c>: the timeline of an environment or a wave from the journal.
/// Exit codes: 0 printed, 1 the journal has no entry for that id, 2 bad arguments or no journal at the path.
/// </summary>
public static class HistoryCommand
{
    public const int ExitOk = 0;
    public const int ExitUnknown = 1;
    public const int ExitUnusable = 2;

    public static Command Create()
    {
        var environment = new Option<string>("--environment")
        {
            Description = "The environment whose cutover to show (inventory id).",
        };
        var wave = new Option<string>("--wave")
        {
            Description = "The wave to show: its own events and every environment in it.",
        };
        var format = new Option<string>("--output")
        {
            Description =
                "text: aligned columns and each environment's outcome; json: the entries with parsed payloads; csv: RFC 4180 with a header row.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json", "csv");
        var database = JournalDatabaseOption.Create();
        var command = new Command(
            "history",
            "Show what happened to an environment or a wave, from the audit journal: time, event, step, actor, summary."
        );
        command.Options.Add(environment);
        command.Options.Add(wave);
        command.Options.Add(format);
        command.Options.Add(database);
        command.SetAction(
            async (parse, ct) =>
                await RunAsync(
                    parse.GetValue(environment),
                    parse.GetValue(wave),
                    Enum.Parse<HistoryFormat>(parse.GetValue(format)!, ignoreCase: true),
                    parse.GetValue(database)!,
                    parse.InvocationConfiguration.Output,
                    parse.InvocationConfiguration.Error,
                    ct
                )
        );
        return command;
    }

    static async Task<int> RunAsync(
        string? environment,
        string? wave,
        HistoryFormat format,
        string database,
        TextWriter output,
        TextWriter error,
        CancellationToken ct
    )
    {
        if ((environment is null) == (wave is null))
        {
            error.WriteLine("Give exactly one of --environment ID or --wave ID.");
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

        var reader = new JournalHistoryReader(new SqliteJournal(database, TimeProvider.System));
        IReadOnlyList<JournalEntry> entries;
        try
        {
            entries = await reader.ReadAllAsync(new JournalQuery { Environment = environment, Wave = wave }, ct);
        }
        catch (Exception e) when (e is SqliteException or FormatException or InvalidCastException)
        {
            error.WriteLine(
                $"Reading the journal in '{database}' failed: {e.Message} Run `cutover audit verify --database {database}` to find the damaged entry."
            );
            return ExitUnusable;
        }
        if (entries.Count == 0)
        {
            error.WriteLine(
                environment is not null
                    ? $"The journal in '{database}' has no entry for environment '{environment}'. Check the id (ids are case-sensitive)."
                    : $"The journal in '{database}' has no entry for wave '{wave}'. Check the id (ids are case-sensitive)."
            );
            return ExitUnknown;
        }

        switch (format)
        {
            case HistoryFormat.Json:
                WriteJson(entries, output);
                break;
            case HistoryFormat.Csv:
                WriteCsv(entries, output);
                break;
            default:
                WriteText(entries, showEnvironment: wave is not null, output);
                var histories = environment is not null
                    ? [JournalHistoryReader.BuildEnvironment(environment, entries)]
                    : JournalHistoryReader.BuildWave(wave!, entries).Environments;
                output.WriteLine();
                foreach (var history in histories)
                    output.WriteLine(Outcome(history));
                break;
        }
        return ExitOk;
    }

    static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    static void WriteText(IReadOnlyList<JournalEntry> entries, bool showEnvironment, TextWriter output)
    {
        var rows = entries
            .Select(e =>
                new[]
                {
                    e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    e.Event,
                    showEnvironment ? e.Environment ?? "-" : null,
                    e.Step ?? "-",
                    e.Actor,
                    OneLine(JournalEntrySummary.Describe(e)),
                }
                    .OfType<string>()
                    .ToArray()
            )
            .ToList();
        string[] header = showEnvironment
            ? ["TIME", "EVENT", "ENVIRONMENT", "STEP", "ACTOR", "SUMMARY"]
            : ["TIME", "EVENT", "STEP", "ACTOR", "SUMMARY"];
        rows.Insert(0, header);
        var widths = Enumerable.Range(0, header.Length - 1).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < widths.Length; i++)
                line.Append(row[i].PadRight(widths[i])).Append("  ");
            line.Append(row[^1]);
            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    static string OneLine(string text) => text.ReplaceLineEndings(" ");

    static string Outcome(EnvironmentHistory h)
    {
        var text = new StringBuilder($"{h.Environment}: {h.Outcome}");
        if (h.RevertOf is { } revert)
            text.Append($" (revert of cutover {revert.Reverts} asked by {revert.Actor}: {revert.Reason})");
        if (h.Finalised is { } final)
            text.Append(
                $" (finalised {final.At:u} by {final.Actor}{(final.EarlyReason is { } early ? $", before its soak: {early}" : "")})"
            );
        if (h.HeldBeforePause is { } held)
            text.Append(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"; held {held.TotalSeconds:0.#} s before the pause by {string.Join(", ", h.Holds.Select(x => x.Cap).Distinct())}"
                )
            );
        if (h.Downtime is { } d)
        {
            text.Append(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"; downtime {d.DowntimeSeconds?.ToString("0.#", CultureInfo.InvariantCulture) ?? "?"} s by the engine"
                )
            );
            if (d.SendingGapSeconds is { } gap)
                text.Append(string.Create(CultureInfo.InvariantCulture, $", {gap:0.#} s by the sending control"));
            if (d.MeasurementsDisagree)
                text.Append($" (measurements disagree: {d.Disagreement})");
        }
        if (h.Rollback?.Cause is { } cause)
            text.Append($"; rolled back: {cause}");
        if (h.Aws.Attempts > 0)
            text.Append(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"; AWS {h.Aws.Attempts} attempts, {h.Aws.Retries} retries, {h.Aws.Throttles} throttled"
                )
            );
        if (h.PrunedEntries > 0)
            text.Append(string.Create(CultureInfo.InvariantCulture, $"; payloads pruned: {h.PrunedEntries}"));
        return text.ToString();
    }

    static void WriteJson(IReadOnlyList<JournalEntry> entries, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteNumber("sequence", e.Sequence);
                json.WriteString("at", Time(e.At));
                json.WriteString("event", e.Event);
                json.WriteString("actor", e.Actor);
                json.WriteString("wave", e.Wave);
                json.WriteString("environment", e.Environment);
                json.WriteString("workflowInstance", e.WorkflowInstance);
                json.WriteString("definitionId", e.DefinitionId);
                if (e.DefinitionVersion is { } version)
                    json.WriteNumber("definitionVersion", version);
                else
                    json.WriteNull("definitionVersion");
                json.WriteString("definitionHash", e.DefinitionHash);
                json.WriteString("step", e.Step);
                json.WriteString("summary", JournalEntrySummary.Describe(e));
                json.WriteBoolean("payloadPruned", JournalEntrySummary.IsPruned(e));
                json.WritePropertyName("payload");
                var payload = JournalPayload.Parse(e.Payload);
                if (payload.Root.ValueKind != JsonValueKind.Undefined)
                    payload.Root.WriteTo(json);
                else if (e.Payload is not null)
                    json.WriteStringValue(e.Payload); // not JSON: kept as text rather than dropped
                else
                    json.WriteNullValue();
                json.WriteString("payloadHash", e.PayloadHash);
                json.WriteString("hash", e.Hash);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    static void WriteCsv(IReadOnlyList<JournalEntry> entries, TextWriter output)
    {
        // RFC 4180 asks for CRLF whatever the platform.
        output.Write("sequence,time,event,wave,environment,step,actor,summary\r\n");
        foreach (var e in entries)
        {
            string?[] fields =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture),
                Time(e.At),
                e.Event,
                e.Wave,
                e.Environment,
                e.Step,
                e.Actor,
                JournalEntrySummary.Describe(e),
            ];
            output.Write(string.Join(',', fields.Select(Csv)) + "\r\n");
        }
    }

    static string Csv(string? field)
    {
        field ??= "";
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
    }
}
