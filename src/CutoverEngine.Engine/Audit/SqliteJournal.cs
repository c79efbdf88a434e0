using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Audit;

/// <summary>
/// The journal in the engine's SQLite file. Entries are appended through the file's one writer
/// (<see cref="SqliteGroupCommit"/>, shared with WorkflowCore's store), each carrying SHA-256(previous hash | canonical
/// entry fields | payload hash), so that editing, removing or reordering any entry breaks the chain from that entry on.
/// Payloads are hashed separately so a
/// retention job can drop old payloads while the chain stays verifiable.
/// </summary>
public sealed class SqliteJournal : ICutoverJournal
{
    static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    readonly string _connectionString;
    readonly TimeProvider _clock;
    readonly SqliteGroupCommit _writer;
    volatile bool _ready;

    public SqliteJournal(string databasePath, TimeProvider clock)
    {
        _connectionString = Persistence.SqliteFiles.ConnectionString(databasePath);
        _clock = clock;
        // The same writer as WorkflowCore's store on this file: journal and workflow writes queue in memory and share
        // commits.
        _writer = SqliteGroupCommit.For(Path.GetFullPath(databasePath));
    }

    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var pragma = c.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;";
        pragma.ExecuteNonQuery();
        if (!_ready)
        {
            // WAL is a property of the file: set once, not on every pooled open.
            using var wal = c.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
            using var create = c.CreateCommand();
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS journal (
                    seq INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    event TEXT NOT NULL,
                    wave TEXT, environment TEXT, instance TEXT,
                    definition_id TEXT, definition_version INTEGER, definition_hash TEXT,
                    step TEXT,
                    payload TEXT,
                    payload_hash TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS journal_by_env ON journal(environment, seq);
                CREATE INDEX IF NOT EXISTS journal_by_wave ON journal(wave, seq);
                CREATE INDEX IF NOT EXISTS journal_by_instance ON journal(instance, seq);
                """;
            create.ExecuteNonQuery();
            _ready = true;
        }
        return c;
    }

    /// <summary>
    /// Appends one entry and returns once it is committed (durable as the file's <c>synchronous</c> makes it, FULL
    /// unless configured otherwise). The write goes through the file's <see cref="SqliteGroupCommit"/>: entries (and
    /// WorkflowCore's writes) queued together share one commit. Sequence, time and hashes are assigned inside that
    /// transaction, after reading the last stored entry, so the chain stays exact even when another process (the CLI
    /// beside `cutover serve`) appends to the same file. A caller cancelled before its entry was taken into a batch
    /// leaves nothing behind; once taken, it is written.
    /// </summary>
    public async Task<JournalEntry> AppendAsync(JournalEvent e, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var payload = e.Payload is null
            ? null
            : e.Payload as string ?? JsonSerializer.Serialize(e.Payload, PayloadJson);
        if (!_ready)
        {
            await using var _ = Open();
        }
        return await _writer.WriteAsync((c, tx) => InsertAsync(c, tx, e, payload), ct);
    }

    async Task<JournalEntry> InsertAsync(SqliteConnection c, SqliteTransaction tx, JournalEvent e, string? payload)
    {
        string previous = Genesis;
        long seq = 1;
        await using (var last = c.CreateCommand())
        {
            last.Transaction = tx;
            last.CommandText = "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";
            await using var r = await last.ExecuteReaderAsync();
            if (await r.ReadAsync())
            {
                seq = r.GetInt64(0) + 1;
                previous = r.GetString(1);
            }
        }
        var entry = new JournalEntry
        {
            Sequence = seq,
            At = _clock.GetUtcNow(),
            Actor = e.Actor,
            Event = e.Event,
            Wave = e.Wave,
            Environment = e.Environment,
            WorkflowInstance = e.WorkflowInstance,
            DefinitionId = e.DefinitionId,
            DefinitionVersion = e.DefinitionVersion,
            DefinitionHash = e.DefinitionHash,
            Step = e.Step,
            Payload = payload,
            PayloadHash = HashOf(payload ?? ""),
            PreviousHash = previous,
        };
        entry = entry with { Hash = ChainHash(entry) };
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO journal (seq, at, actor, event, wave, environment, instance, definition_id, definition_version, definition_hash, step, payload, payload_hash, prev_hash, hash)
            VALUES ($seq, $at, $actor, $event, $wave, $env, $inst, $defid, $defver, $defhash, $step, $payload, $phash, $prev, $hash)
            """;
        insert.Parameters.AddWithValue("$seq", entry.Sequence);
        insert.Parameters.AddWithValue("$at", Format(entry.At));
        insert.Parameters.AddWithValue("$actor", entry.Actor);
        insert.Parameters.AddWithValue("$event", entry.Event);
        insert.Parameters.AddWithValue("$wave", (object?)entry.Wave ?? DBNull.Value);
        insert.Parameters.AddWithValue("$env", (object?)entry.Environment ?? DBNull.Value);
        insert.Parameters.AddWithValue("$inst", (object?)entry.WorkflowInstance ?? DBNull.Value);
        insert.Parameters.AddWithValue("$defid", (object?)entry.DefinitionId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$defver", (object?)entry.DefinitionVersion ?? DBNull.Value);
        insert.Parameters.AddWithValue("$defhash", (object?)entry.DefinitionHash ?? DBNull.Value);
        insert.Parameters.AddWithValue("$step", (object?)entry.Step ?? DBNull.Value);
        insert.Parameters.AddWithValue("$payload", (object?)entry.Payload ?? DBNull.Value);
        insert.Parameters.AddWithValue("$phash", entry.PayloadHash);
        insert.Parameters.AddWithValue("$prev", entry.PreviousHash);
        insert.Parameters.AddWithValue("$hash", entry.Hash);
        await insert.ExecuteNonQueryAsync();
        return entry;
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(JournalQuery q, CancellationToken ct = default)
    {
        await using var c = Open();
        await using var cmd = c.CreateCommand();
        var where = new List<string> { "seq > $after" };
        cmd.Parameters.AddWithValue("$after", q.AfterSequence);
        if (q.Wave is not null)
        {
            where.Add("wave = $wave");
            cmd.Parameters.AddWithValue("$wave", q.Wave);
        }
        if (q.Environment is not null)
        {
            where.Add("environment = $env");
            cmd.Parameters.AddWithValue("$env", q.Environment);
        }
        if (q.WorkflowInstance is not null)
        {
            where.Add("instance = $inst");
            cmd.Parameters.AddWithValue("$inst", q.WorkflowInstance);
        }
        cmd.CommandText =
            $"SELECT seq, at, actor, event, wave, environment, instance, definition_id, definition_version, definition_hash, step, payload, payload_hash, prev_hash, hash FROM journal WHERE {string.Join(" AND ", where)} ORDER BY seq LIMIT $limit";
        cmd.Parameters.AddWithValue("$limit", q.Limit);
        var list = new List<JournalEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(
                new JournalEntry
                {
                    Sequence = r.GetInt64(0),
                    At = DateTimeOffset.Parse(r.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
                    Actor = r.GetString(2),
                    Event = r.GetString(3),
                    Wave = r.IsDBNull(4) ? null : r.GetString(4),
                    Environment = r.IsDBNull(5) ? null : r.GetString(5),
                    WorkflowInstance = r.IsDBNull(6) ? null : r.GetString(6),
                    DefinitionId = r.IsDBNull(7) ? null : r.GetString(7),
                    DefinitionVersion = r.IsDBNull(8) ? null : r.GetInt32(8),
                    DefinitionHash = r.IsDBNull(9) ? null : r.GetString(9),
                    Step = r.IsDBNull(10) ? null : r.GetString(10),
                    Payload = r.IsDBNull(11) ? null : r.GetString(11),
                    PayloadHash = r.GetString(12),
                    PreviousHash = r.GetString(13),
                    Hash = r.GetString(14),
                }
            );
        }
        return list;
    }

    internal static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The chained hash: every field but the payload itself (its hash stands in for it).</summary>
    public static string ChainHash(JournalEntry e) =>
        HashOf(
            string.Join(
                '\u001f',
                e.PreviousHash,
                e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Format(e.At),
                e.Actor,
                e.Event,
                e.Wave ?? "",
                e.Environment ?? "",
                e.WorkflowInstance ?? "",
                e.DefinitionId ?? "",
                e.DefinitionVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                e.DefinitionHash ?? "",
                e.Step ?? "",
                e.PayloadHash
            )
        );
}
