using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Tests.Audit;

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>A journal in a fresh temp file, with raw SQL access for tampering; removed afterwards.</summary>
internal sealed class TempJournal : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 22, 0, 0, TimeSpan.Zero);

    public TempJournal()
    {
        Directory = System.IO.Path.Combine(
            System.IO.Path.GetTempPath(),
            "cutover-audit-tests",
            Guid.NewGuid().ToString("N")
        );
        Path = System.IO.Path.Combine(Directory, "cutover.db");
        Clock = new ManualClock(Start);
        Journal = new SqliteJournal(Path, Clock);
    }

    public string Directory { get; }
    public string Path { get; }
    public ManualClock Clock { get; }
    public SqliteJournal Journal { get; }

    public async Task<JournalEntry> AppendAsync(JournalEvent e, TimeSpan? after = null)
    {
        Clock.Advance(after ?? TimeSpan.FromSeconds(1));
        return await Journal.AppendAsync(e);
    }

    /// <summary>Writes <paramref name="count"/> entries of the kinds the engine writes, spread over environments and
    /// steps.</summary>
    public async Task SeedAsync(int count, TimeSpan? spacing = null)
    {
        string[] steps = ["preflight", "pause-sending", "repoint-ips", "repoint-dns", "verify", "resume-sending"];
        for (var i = 0; i < count; i++)
        {
            var environment = $"env-{i % 7}";
            var step = steps[i % steps.Length];
            JournalEvent e = (i % 4) switch
            {
                0 => JournalEvent.Of(new StepStartedPayload(step, 300), "scheduler"),
                1 => JournalEvent.Of(
                    new StepCompletedPayload($"{step} done #{i}", new { n = i }, 120 + i, 130 + i),
                    "scheduler"
                ),
                2 => JournalEvent.Of(
                    new AwsAttemptPayload(
                        Guid.NewGuid(),
                        "Ec2",
                        "AssociateAddress",
                        "111111111111",
                        1,
                        "Succeeded",
                        200,
                        null,
                        null,
                        null,
                        Start,
                        40,
                        null,
                        null,
                        null
                    ),
                    "scheduler"
                ),
                // Without payload, as older engines wrote some entries: retention has nothing to prune there.
                _ => JournalEvent.Of(
                    new LeaseRenewalFailedPayload("sending control did not answer", null),
                    "cli:alice"
                ) with
                {
                    Payload = null,
                },
            };
            await AppendAsync(
                e with
                {
                    Wave = "wave-7",
                    Environment = environment,
                    WorkflowInstance = $"wf-{i % 7}",
                    DefinitionId = "cutover",
                    DefinitionVersion = 3,
                    DefinitionHash = "abc123",
                    Step = step,
                },
                spacing
            );
        }
    }

    public int Execute(string sql)
    {
        using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString()
        );
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString()
        );
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        { /* a temp directory left behind is harmless */
        }
    }
}

internal static class BulkJournal
{
    /// <summary>
    /// Writes <paramref name="count"/> chained entries in one transaction, hashed exactly as <see
    /// cref="SqliteJournal"/>
    /// does; appending them one by one would take minutes. The table is created by the journal itself first.
    /// </summary>
    public static async Task WriteAsync(TempJournal db, int count)
    {
        // The first entry has no payload (retention leaves such entries alone).
        await db.AppendAsync(
            JournalEvent.Of(new WaveCreatedPayload(["env-0"], TempJournal.Start, 1, "as-listed"), "cli:alice") with
            {
                Wave = "wave-big",
                Payload = null,
            }
        );
        var previous = (await db.Journal.ReadAsync(new JournalQuery()))[0];
        using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = db.Path, Pooling = false }.ToString()
        );
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText =
            "INSERT INTO journal (seq, at, actor, event, wave, environment, payload, payload_hash, prev_hash, hash) VALUES ($seq, $at, $actor, $event, $wave, $env, $payload, $phash, $prev, $hash)";
        string[] names = ["$seq", "$at", "$actor", "$event", "$wave", "$env", "$payload", "$phash", "$prev", "$hash"];
        var parameters = names.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        for (var seq = 2L; seq <= count; seq++)
        {
            var payload = $$"""{"summary":"attempt {{seq}}","ms":{{seq % 997}}}""";
            var entry = new JournalEntry
            {
                Sequence = seq,
                At = previous.At.AddMilliseconds(250),
                Actor = "scheduler",
                Event = StepCompletedPayload.Event,
                Wave = "wave-big",
                Environment = $"env-{seq % 300}",
                Payload = payload,
                PayloadHash = SqliteJournal.HashOf(payload),
                PreviousHash = previous.Hash,
            };
            entry = entry with { Hash = SqliteJournal.ChainHash(entry) };
            object[] values =
            [
                seq,
                entry.At.UtcDateTime.ToString(
                    "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
                    System.Globalization.CultureInfo.InvariantCulture
                ),
                entry.Actor,
                entry.Event,
                entry.Wave!,
                entry.Environment!,
                payload,
                entry.PayloadHash,
                entry.PreviousHash,
                entry.Hash,
            ];
            for (var i = 0; i < values.Length; i++)
                parameters[i].Value = values[i];
            insert.ExecuteNonQuery();
            previous = entry;
        }
        tx.Commit();
    }
}
