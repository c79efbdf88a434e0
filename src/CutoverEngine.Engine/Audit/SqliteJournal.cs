using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Audit;

/// <summary>
/// The journal in the engine's SQLite file. Entries are appended in batches by one writer at a time (the file's
/// <see cref="SqliteWriteGate"/>, shared with WorkflowCore's store), each carrying SHA-256(previous hash | canonical
/// entry fields | payload hash), so that editing, removing or reordering any entry breaks the chain from that entry on. Payloads are hashed separately so a
/// retention job can drop old payloads while the chain stays verifiable.
/// </summary>
public sealed class SqliteJournal : ICutoverJournal
{
    static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    readonly string _connectionString;
    readonly TimeProvider _clock;
    readonly SemaphoreSlim _writer;
    readonly ConcurrentQueue<PendingAppend> _pending = new();
    volatile bool _ready;

    public SqliteJournal(string databasePath, TimeProvider clock)
    {
        var full = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        _clock = clock;
        // The same gate as WorkflowCore's store on this file: journal and workflow writes queue in memory, not on SQLite's lock.
        _writer = SqliteWriteGate.For(full);
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
                """;
            create.ExecuteNonQuery();
            _ready = true;
        }
        return c;
    }

    /// <summary>
    /// Appends one entry and returns once it is committed (durable as <c>synchronous=FULL</c> makes it). Group commit:
    /// every caller queues its entry, and whichever caller holds the file's write gate writes everything queued so far
    /// in one transaction (one fsync), in queue order; the others find their entry already written when their turn
    /// comes. Sequence, time and hashes are assigned inside that transaction, after reading the last stored entry, so
    /// the chain stays exact even when another process (the CLI beside `cutover serve`) appends to the same file.
    /// A caller cancelled before its entry was taken into a batch leaves nothing behind; once taken, it is written.
    /// </summary>
    public async Task<JournalEntry> AppendAsync(JournalEvent e, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var payload = e.Payload is null ? null : e.Payload as string ?? JsonSerializer.Serialize(e.Payload, PayloadJson);
        var pending = new PendingAppend(e, payload, ct);
        _pending.Enqueue(pending);
        while (!pending.IsFinished)
        {
            try
            {
                await _writer.WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                if (pending.TryCancel()) throw;
                // Already taken into a batch: that batch decides its outcome, so wait for it.
                break;
            }
            try
            {
                if (!pending.IsFinished) await WriteQueuedAsync();
            }
            finally
            {
                _writer.Release();
            }
        }
        return await pending.Outcome.Task;
    }

    /// <summary>Entries written in one transaction at most: bounds the time the file's write gate is held.</summary>
    const int MaxBatch = 512;

    async Task WriteQueuedAsync()
    {
        var batch = new List<PendingAppend>();
        while (batch.Count < MaxBatch && _pending.TryDequeue(out var next))
            if (next.TryClaim()) batch.Add(next);
        if (batch.Count == 0) return;
        try
        {
            Complete(batch, await WriteBatchAsync(batch));
        }
        catch (Exception) when (batch.Count > 1)
        {
            // The transaction rolled back, so none of the batch is in the journal. One bad entry must not cost its
            // neighbours theirs: write each alone, and only the entries that fail on their own report the error.
            foreach (var one in batch)
            {
                try { Complete([one], await WriteBatchAsync([one])); }
                catch (Exception error) { one.Outcome.TrySetException(error); }
            }
        }
        catch (Exception error)
        {
            batch[0].Outcome.TrySetException(error);
        }
    }

    static void Complete(List<PendingAppend> batch, JournalEntry[] written)
    {
        for (var i = 0; i < batch.Count; i++) batch[i].Outcome.TrySetResult(written[i]);
    }

    long _transactions;

    /// <summary>Append transactions committed by this instance: entries / transactions is the group commit's batch size.</summary>
    public long TransactionsCommitted => Interlocked.Read(ref _transactions);

    async Task<JournalEntry[]> WriteBatchAsync(List<PendingAppend> batch)
    {
        await using var c = Open();
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        string previous = Genesis;
        long seq = 0;
        await using (var last = c.CreateCommand())
        {
            last.Transaction = tx;
            last.CommandText = "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1";
            await using var r = await last.ExecuteReaderAsync();
            if (await r.ReadAsync()) { seq = r.GetInt64(0); previous = r.GetString(1); }
        }
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO journal (seq, at, actor, event, wave, environment, instance, definition_id, definition_version, definition_hash, step, payload, payload_hash, prev_hash, hash)
            VALUES ($seq, $at, $actor, $event, $wave, $env, $inst, $defid, $defver, $defhash, $step, $payload, $phash, $prev, $hash)
            """;
        string[] names = ["$seq", "$at", "$actor", "$event", "$wave", "$env", "$inst", "$defid", "$defver", "$defhash", "$step", "$payload", "$phash", "$prev", "$hash"];
        var p = names.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        p[0].SqliteType = SqliteType.Integer;
        p[8].SqliteType = SqliteType.Integer;
        var written = new JournalEntry[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var (e, payload) = (batch[i].Event, batch[i].Payload);
            var entry = new JournalEntry
            {
                Sequence = ++seq,
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
            p[0].Value = entry.Sequence;
            p[1].Value = Format(entry.At);
            p[2].Value = entry.Actor;
            p[3].Value = entry.Event;
            p[4].Value = (object?)entry.Wave ?? DBNull.Value;
            p[5].Value = (object?)entry.Environment ?? DBNull.Value;
            p[6].Value = (object?)entry.WorkflowInstance ?? DBNull.Value;
            p[7].Value = (object?)entry.DefinitionId ?? DBNull.Value;
            p[8].Value = (object?)entry.DefinitionVersion ?? DBNull.Value;
            p[9].Value = (object?)entry.DefinitionHash ?? DBNull.Value;
            p[10].Value = (object?)entry.Step ?? DBNull.Value;
            p[11].Value = (object?)entry.Payload ?? DBNull.Value;
            p[12].Value = entry.PayloadHash;
            p[13].Value = entry.PreviousHash;
            p[14].Value = entry.Hash;
            await insert.ExecuteNonQueryAsync();
            written[i] = entry;
            previous = entry.Hash;
        }
        await tx.CommitAsync();
        Interlocked.Increment(ref _transactions);
        return written;
    }

    /// <summary>An entry waiting for a batch: queued, then claimed by a writer or cancelled by its caller, never both.</summary>
    sealed class PendingAppend(JournalEvent e, string? payload, CancellationToken ct)
    {
        const int Queued = 0, Claimed = 1, Cancelled = 2;
        int _state;

        public JournalEvent Event { get; } = e;
        public string? Payload { get; } = payload;
        public TaskCompletionSource<JournalEntry> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool IsFinished => Outcome.Task.IsCompleted;

        /// <summary>Takes the entry into a batch, unless its caller has cancelled by now (then it is dropped).</summary>
        public bool TryClaim()
        {
            if (ct.IsCancellationRequested) { TryCancel(); return false; }
            return Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;
        }

        public bool TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) != Queued) return false;
            Outcome.TrySetCanceled(ct);
            return true;
        }
    }

    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(JournalQuery q, CancellationToken ct = default)
    {
        await using var c = Open();
        await using var cmd = c.CreateCommand();
        var where = new List<string> { "seq > $after" };
        cmd.Parameters.AddWithValue("$after", q.AfterSequence);
        if (q.Wave is not null) { where.Add("wave = $wave"); cmd.Parameters.AddWithValue("$wave", q.Wave); }
        if (q.Environment is not null) { where.Add("environment = $env"); cmd.Parameters.AddWithValue("$env", q.Environment); }
        if (q.WorkflowInstance is not null) { where.Add("instance = $inst"); cmd.Parameters.AddWithValue("$inst", q.WorkflowInstance); }
        cmd.CommandText = $"SELECT seq, at, actor, event, wave, environment, instance, definition_id, definition_version, definition_hash, step, payload, payload_hash, prev_hash, hash FROM journal WHERE {string.Join(" AND ", where)} ORDER BY seq LIMIT $limit";
        cmd.Parameters.AddWithValue("$limit", q.Limit);
        var list = new List<JournalEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new JournalEntry
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
            });
        }
        return list;
    }

    internal static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The chained hash: every field but the payload itself (its hash stands in for it).</summary>
    public static string ChainHash(JournalEntry e) => HashOf(string.Join('\u001f',
        e.PreviousHash, e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Format(e.At), e.Actor, e.Event,
        e.Wave ?? "", e.Environment ?? "", e.WorkflowInstance ?? "", e.DefinitionId ?? "",
        e.DefinitionVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", e.DefinitionHash ?? "", e.Step ?? "", e.PayloadHash));
}
