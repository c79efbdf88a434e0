using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Webhooks;

/// <summary>
/// Where each receiver's delivery stands, in the engine's database: the journal sequence up to which every event
/// was delivered or given up. A restarted engine resumes after it, so an event is lost never and sent twice only
/// when the engine stopped between its delivery and the cursor's advance (at-least-once; receivers deduplicate by
/// the event id).
/// </summary>
public sealed class WebhookCursorStore
{
    readonly string _connectionString;
    volatile bool _ready;

    public WebhookCursorStore(string databasePath)
    {
        _connectionString = Persistence.SqliteFiles.ConnectionString(databasePath);
    }

    async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        if (_ready)
            return c;
        await using var ddl = c.CreateCommand();
        ddl.CommandText = """
            CREATE TABLE IF NOT EXISTS webhook_cursors (
                receiver TEXT PRIMARY KEY, after_seq INTEGER NOT NULL, updated_at TEXT NOT NULL);
            """;
        await ddl.ExecuteNonQueryAsync(ct);
        _ready = true;
        return c;
    }

    /// <summary>
    /// The receiver's cursor; a receiver seen for the first time starts at <paramref name="startAfter"/> (the
    /// journal's end: a receiver added later is sent what happens from then on, not the whole history).
    /// </summary>
    public async Task<long> GetOrStartAsync(
        string receiver,
        long startAfter,
        DateTimeOffset now,
        CancellationToken ct = default
    )
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO webhook_cursors (receiver, after_seq, updated_at) VALUES (@r, @seq, @at)
            ON CONFLICT (receiver) DO NOTHING;
            SELECT after_seq FROM webhook_cursors WHERE receiver = @r;
            """;
        cmd.Parameters.AddWithValue("@r", receiver);
        cmd.Parameters.AddWithValue("@seq", startAfter);
        cmd.Parameters.AddWithValue("@at", Format(now));
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The receiver's cursor, or null before its lane first started.</summary>
    public async Task<long?> GetAsync(string receiver, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT after_seq FROM webhook_cursors WHERE receiver = @r";
        cmd.Parameters.AddWithValue("@r", receiver);
        return await cmd.ExecuteScalarAsync(ct) is long seq ? seq : null;
    }

    /// <summary>Moves the cursor forward (never back) to <paramref name="afterSequence"/>.</summary>
    public async Task AdvanceAsync(
        string receiver,
        long afterSequence,
        DateTimeOffset now,
        CancellationToken ct = default
    )
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            UPDATE webhook_cursors SET after_seq = @seq, updated_at = @at WHERE receiver = @r AND after_seq < @seq
            """;
        cmd.Parameters.AddWithValue("@r", receiver);
        cmd.Parameters.AddWithValue("@seq", afterSequence);
        cmd.Parameters.AddWithValue("@at", Format(now));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The last sequence in the journal (0 when empty). Reads the journal table of the same file, which
    /// the journal has created by then (the dispatcher reads the journal first).</summary>
    public async Task<long> JournalEndAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(seq), 0) FROM journal";
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    static string Format(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
