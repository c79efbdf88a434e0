using System.Text.Json;
using CutoverEngine.Cli;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.EndToEnd.Tests.Cli;

/// <summary>Console.Out and Console.Error are process-wide: these tests must not run beside others that write to
/// them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class JournalConsoleCollection
{
    public const string Name = "cutover audit/history (captures the console)";
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

[Collection(JournalConsoleCollection.Name)]
public sealed class JournalCommandsTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("cutover-journal-cli-").FullName;
    readonly string database;
    readonly SteppedClock clock = new(new DateTimeOffset(2026, 3, 2, 22, 0, 0, TimeSpan.Zero));
    readonly SqliteJournal journal;
    readonly TextWriter originalOut = Console.Out;
    readonly TextWriter originalError = Console.Error;
    readonly StringWriter output = new();
    readonly StringWriter error = new();

    public JournalCommandsTests()
    {
        database = Path.Combine(directory, "cutover.db");
        journal = new SqliteJournal(database, clock);
        Console.SetOut(output);
        Console.SetError(error);
    }

    public void Dispose()
    {
        Console.SetOut(originalOut);
        Console.SetError(originalError);
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    async Task Write(
        string @event,
        string? environment,
        string? step,
        object? payload,
        string actor = "scheduler",
        int afterSeconds = 1
    )
    {
        clock.Now += TimeSpan.FromSeconds(afterSeconds);
        await journal.AppendAsync(
            new JournalEvent(@event, actor)
            {
                Wave = "wave-1",
                Environment = environment,
                Step = step,
                Payload = payload,
            }
        );
    }

    /// <summary>acme-staging completes; initech-dev fails with a cause holding a comma, a quote and a line
    /// break.</summary>
    async Task WriteWaveAsync()
    {
        await Write(
            WaveStartedPayload.Event,
            null,
            null,
            new WaveStartedPayload(null, new DateTimeOffset(2026, 3, 2, 22, 0, 1, TimeSpan.Zero)),
            actor: "cli:alice"
        );
        await Write(CutoverStartedPayload.Event, "acme-staging", null, new { subject = "Acme staging" });
        await Write(
            StepStartedPayload.Event,
            "acme-staging",
            "preflight",
            new { kind = "preflight", timeoutSeconds = 120 }
        );
        await Write(
            StepCompletedPayload.Event,
            "acme-staging",
            "preflight",
            new { summary = "inventory matches", ms = 900 }
        );
        await Write(
            CutoverEngine.Engine.Cutovers.Steps.Downtime.Event,
            "acme-staging",
            null,
            new
            {
                downtimeSeconds = 1800.0,
                sendingGapSeconds = 1801.5,
                windowBudgetUsed = 0.5,
            }
        );
        await Write(
            CutoverStartedPayload.Event,
            "initech-dev",
            null,
            new { subject = "Initech dev" },
            actor: "cli:bob"
        );
        await Write(StepStartedPayload.Event, "initech-dev", "repoint-dns", new { kind = "repoint-dns" });
        await Write(
            StepFailedPayload.Event,
            "initech-dev",
            "repoint-dns",
            new { cause = "zone \"Z1\" refused, code 400\nretry later", output = "" }
        );
    }

    static string[] Lines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Verify_prints_OK_with_the_count_and_last_hash()
    {
        await WriteWaveAsync();
        var last = (await journal.ReadAsync(new JournalQuery { AfterSequence = 7 }))[0];

        var exitCode = await CutoverCommand.RunAsync(["audit", "verify", "--database", database]);

        Assert.Equal(0, exitCode);
        Assert.Equal([$"OK: 8 entries, chain intact (last hash {last.Hash})"], Lines(output));
    }

    [Fact]
    public async Task Verify_names_the_first_broken_entry_and_exits_1()
    {
        await WriteWaveAsync();
        Execute("UPDATE journal SET actor = 'mallory' WHERE seq = 4");

        var exitCode = await CutoverCommand.RunAsync(["audit", "verify", "--database", database]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith(
            "BROKEN at entry #4 (step-completed, acme-staging, 2026-03-02T22:00:04.0000000Z): hash mismatch",
            Lines(output)[0]
        );
    }

    [Fact]
    public async Task Verify_of_a_missing_database_exits_2_naming_it()
    {
        var path = Path.Combine(directory, "absent.db");

        var exitCode = await CutoverCommand.RunAsync(["audit", "verify", "--database", path]);

        Assert.Equal(2, exitCode);
        Assert.Contains(path, error.ToString());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Verify_of_a_file_that_is_not_a_database_exits_2_naming_it()
    {
        var path = Path.Combine(directory, "notes.db");
        File.WriteAllText(
            path,
            "these are not the tables you are looking for, padded past one SQLite header: " + new string('x', 200)
        );

        var exitCode = await CutoverCommand.RunAsync(["audit", "verify", "--database", path]);

        Assert.Equal(2, exitCode);
        Assert.Contains($"'{path}' cannot be opened as a journal", error.ToString());
    }

    [Fact]
    public async Task Prune_drops_old_payloads_and_the_journal_still_verifies()
    {
        clock.Now = DateTimeOffset.UtcNow - TimeSpan.FromDays(200); // the command prunes relative to the real clock
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync(["audit", "prune", "--older-than", "90d", "--database", database]);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Pruned 8 payloads", Lines(output)[0]);
        Assert.Equal(0, await CutoverCommand.RunAsync(["audit", "verify", "--database", database]));
        Assert.StartsWith("OK: 8 entries, chain intact", Lines(output)[1]);
    }

    [Theory]
    [InlineData("90")]
    [InlineData("ninety-days")]
    [InlineData("0d")]
    public async Task Prune_refuses_a_nonsense_age(string age)
    {
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync(["audit", "prune", "--older-than", age, "--database", database]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"--older-than: '{age}'", error.ToString());
        Assert.Equal(0L, Scalar("SELECT count(*) FROM journal WHERE payload IS NULL"));
    }

    [Fact]
    public async Task History_text_shows_the_timeline_and_the_outcome()
    {
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync([
            "history",
            "--environment",
            "acme-staging",
            "--database",
            database,
        ]);

        Assert.Equal(0, exitCode);
        var lines = Lines(output);
        Assert.Matches(@"^TIME\s+EVENT\s+STEP\s+ACTOR\s+SUMMARY$", lines[0]);
        Assert.Matches(@"^2026-03-02 22:00:02Z\s+cutover-started\s+-\s+scheduler\s+Acme staging$", lines[1]);
        Assert.Matches(
            @"^2026-03-02 22:00:04Z\s+step-completed\s+preflight\s+scheduler\s+inventory matches 900 ms$",
            lines[3]
        );
        Assert.Equal(6, lines.Length);
        Assert.Equal(
            "acme-staging: completed; downtime 1800 s by the engine, 1801.5 s by the sending control",
            lines[^1]
        );
    }

    [Fact]
    public async Task History_of_a_wave_shows_every_environment()
    {
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync(["history", "--wave", "wave-1", "--database", database]);

        Assert.Equal(0, exitCode);
        var lines = Lines(output);
        Assert.Matches(@"^TIME\s+EVENT\s+ENVIRONMENT\s+STEP\s+ACTOR\s+SUMMARY$", lines[0]);
        Assert.Matches(@"wave-started\s+-\s+-\s+cli:alice\s+started 2026-03-02T22:00:01\+00:00$", lines[1]);
        // The multi-line cause stays on its row.
        Assert.EndsWith("zone \"Z1\" refused, code 400 retry later", lines[8]);
        Assert.Equal("initech-dev: failed", lines[^1]);
    }

    [Fact]
    public async Task History_json_is_an_array_of_entries_with_parsed_payloads()
    {
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync([
            "history",
            "--environment",
            "initech-dev",
            "--output",
            "json",
            "--database",
            database,
        ]);

        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(output.ToString());
        var entries = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(
            ["cutover-started", "step-started", "step-failed"],
            entries.Select(e => e.GetProperty("event").GetString())
        );
        var failed = entries[2];
        Assert.Equal(8, failed.GetProperty("sequence").GetInt64());
        Assert.Equal("2026-03-02T22:00:08.0000000Z", failed.GetProperty("at").GetString());
        Assert.Equal("repoint-dns", failed.GetProperty("step").GetString());
        Assert.Equal(
            "zone \"Z1\" refused, code 400\nretry later",
            failed.GetProperty("payload").GetProperty("cause").GetString()
        );
        Assert.False(failed.GetProperty("payloadPruned").GetBoolean());
        Assert.Equal("cli:bob", entries[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task History_csv_has_a_header_and_quotes_fields_per_RFC_4180()
    {
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync([
            "history",
            "--environment",
            "initech-dev",
            "--output",
            "csv",
            "--database",
            database,
        ]);

        Assert.Equal(0, exitCode);
        var text = output.ToString();
        Assert.StartsWith("sequence,time,event,wave,environment,step,actor,summary\r\n", text);
        Assert.Contains(
            "6,2026-03-02T22:00:06.0000000Z,cutover-started,wave-1,initech-dev,,cli:bob,Initech dev\r\n",
            text
        );
        Assert.EndsWith(
            "8,2026-03-02T22:00:08.0000000Z,step-failed,wave-1,initech-dev,repoint-dns,scheduler,\"zone \"\"Z1\"\" refused, code 400\nretry later\"\r\n",
            text
        );
        Assert.Equal(4, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task History_of_an_unknown_id_says_so_and_exits_1()
    {
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync([
            "history",
            "--environment",
            "nobody-prod",
            "--database",
            database,
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("no entry for environment 'nobody-prod'", error.ToString());
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task History_needs_exactly_one_of_environment_or_wave()
    {
        await WriteWaveAsync();

        Assert.Equal(2, await CutoverCommand.RunAsync(["history", "--database", database]));
        Assert.Equal(
            2,
            await CutoverCommand.RunAsync([
                "history",
                "--environment",
                "acme-staging",
                "--wave",
                "wave-1",
                "--database",
                database,
            ])
        );
        Assert.Contains("exactly one of --environment ID or --wave ID", error.ToString());
    }

    [Fact]
    public async Task History_refuses_an_unknown_output_format()
    {
        await WriteWaveAsync();

        var exitCode = await CutoverCommand.RunAsync([
            "history",
            "--environment",
            "acme-staging",
            "--output",
            "xml",
            "--database",
            database,
        ]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'xml'", error.ToString());
        Assert.DoesNotContain("cutover-started", output.ToString());
    }

    void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
