using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Preparation;

/// <summary>
/// What prepare changed and found, in the engine's SQLite file (tables prepared_ttls, prepared_spf,
/// environment_readiness), beside the waves. The original TTLs and the added SPF mechanisms live here rather than
/// in the journal because finalise must read them back as data, and because each is remembered before the change
/// it describes with an insert that keeps the first value (<c>INSERT OR IGNORE</c>): a replay after a crash, when
/// the record already carries the lowered TTL, can never overwrite the original with it. The journal tells the
/// same story for auditors (environment-prepared, readiness-checked).
/// </summary>
public sealed class PrepareStore
{
    readonly string _connectionString;

    public PrepareStore(string databasePath)
    {
        _connectionString = Persistence.SqliteFiles.ConnectionString(databasePath);
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Per instance, not static: each store may sit on another file.
    readonly Persistence.StoreTables _tables = new(
        """
        CREATE TABLE IF NOT EXISTS prepared_ttls (
            environment_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, original_ttl INTEGER NOT NULL,
            lowered_to INTEGER NOT NULL, lowered_at TEXT NULL, remembered_at TEXT NOT NULL,
            PRIMARY KEY (environment_id, name, type));
        CREATE TABLE IF NOT EXISTS prepared_spf (
            environment_id TEXT NOT NULL, domain TEXT NOT NULL, mechanism TEXT NOT NULL,
            original_record TEXT NOT NULL, added_at TEXT NOT NULL,
            PRIMARY KEY (environment_id, domain, mechanism));
        CREATE TABLE IF NOT EXISTS environment_readiness (
            environment_id TEXT PRIMARY KEY, wave_id TEXT NOT NULL, ready INTEGER NOT NULL,
            reasons TEXT NOT NULL, warnings TEXT NOT NULL, checked_at TEXT NOT NULL);
        """
    );

    SqliteConnection Open() => Persistence.SqliteFiles.Open(_connectionString, _tables);

    static string Iso(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    static DateTimeOffset ParseIso(string s) =>
        DateTimeOffset.Parse(
            s,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal
        );

    static void Add(SqliteCommand c, string name, object? value) =>
        c.Parameters.AddWithValue(name, value ?? DBNull.Value);

    async Task<int> ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken ct)
    {
        await using var c = Open();
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        bind(command);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Remembers a record's original TTL unless one is remembered already (the first one wins).</summary>
    public Task RememberTtlAsync(
        string environmentId,
        string name,
        string type,
        long originalTtl,
        long loweredTo,
        DateTimeOffset now,
        CancellationToken ct = default
    ) =>
        ExecuteAsync(
            """
            INSERT OR IGNORE INTO prepared_ttls (environment_id, name, type, original_ttl, lowered_to, lowered_at, remembered_at)
            VALUES (@e, @n, @t, @o, @l, NULL, @now)
            """,
            c =>
            {
                Add(c, "@e", environmentId);
                Add(c, "@n", Normalize(name));
                Add(c, "@t", type);
                Add(c, "@o", originalTtl);
                Add(c, "@l", loweredTo);
                Add(c, "@now", Iso(now));
            },
            ct
        );

    /// <summary>Records when the lowered TTL was written, once: a replay keeps the first instant.</summary>
    public Task MarkLoweredAsync(
        string environmentId,
        string name,
        string type,
        DateTimeOffset at,
        CancellationToken ct = default
    ) =>
        ExecuteAsync(
            """
            UPDATE prepared_ttls SET lowered_at = @at
            WHERE environment_id = @e AND name = @n AND type = @t AND lowered_at IS NULL
            """,
            c =>
            {
                Add(c, "@e", environmentId);
                Add(c, "@n", Normalize(name));
                Add(c, "@t", type);
                Add(c, "@at", Iso(at));
            },
            ct
        );

    public async Task<IReadOnlyList<RememberedTtl>> TtlsAsync(string environmentId, CancellationToken ct = default)
    {
        await using var c = Open();
        await using var q = c.CreateCommand();
        q.CommandText = """
            SELECT name, type, original_ttl, lowered_to, lowered_at FROM prepared_ttls
            WHERE environment_id = @e ORDER BY name, type
            """;
        Add(q, "@e", environmentId);
        var list = new List<RememberedTtl>();
        await using var r = await q.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(
                new RememberedTtl(
                    environmentId,
                    r.GetString(0),
                    r.GetString(1),
                    r.GetInt64(2),
                    r.GetInt64(3),
                    r.IsDBNull(4) ? null : ParseIso(r.GetString(4))
                )
            );
        return list;
    }

    /// <summary>Remembers a mechanism prepare adds, before the record is written (the first original wins).</summary>
    public Task RememberSpfAsync(AddedSpfMechanism added, CancellationToken ct = default) =>
        ExecuteAsync(
            """
            INSERT OR IGNORE INTO prepared_spf (environment_id, domain, mechanism, original_record, added_at)
            VALUES (@e, @d, @m, @o, @at)
            """,
            c =>
            {
                Add(c, "@e", added.EnvironmentId);
                Add(c, "@d", Normalize(added.Domain));
                Add(c, "@m", added.Mechanism);
                Add(c, "@o", added.OriginalRecord);
                Add(c, "@at", Iso(added.AddedAt));
            },
            ct
        );

    public async Task<IReadOnlyList<AddedSpfMechanism>> SpfAsync(string environmentId, CancellationToken ct = default)
    {
        await using var c = Open();
        await using var q = c.CreateCommand();
        q.CommandText = """
            SELECT domain, mechanism, original_record, added_at FROM prepared_spf
            WHERE environment_id = @e ORDER BY added_at, mechanism
            """;
        Add(q, "@e", environmentId);
        var list = new List<AddedSpfMechanism>();
        await using var r = await q.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(
                new AddedSpfMechanism(
                    environmentId,
                    r.GetString(0),
                    r.GetString(1),
                    r.GetString(2),
                    ParseIso(r.GetString(3))
                )
            );
        return list;
    }

    /// <summary>Keeps the environment's latest readiness verdict (a later check replaces an earlier one).</summary>
    public Task SaveReadinessAsync(EnvironmentReadiness readiness, CancellationToken ct = default) =>
        ExecuteAsync(
            """
            INSERT INTO environment_readiness (environment_id, wave_id, ready, reasons, warnings, checked_at)
            VALUES (@e, @w, @r, @reasons, @warnings, @at)
            ON CONFLICT (environment_id) DO UPDATE SET wave_id = @w, ready = @r, reasons = @reasons,
                warnings = @warnings, checked_at = @at
            """,
            c =>
            {
                Add(c, "@e", readiness.EnvironmentId);
                Add(c, "@w", readiness.WaveId);
                Add(c, "@r", readiness.Ready ? 1 : 0);
                Add(c, "@reasons", JsonSerializer.Serialize(readiness.Reasons, Json));
                Add(c, "@warnings", JsonSerializer.Serialize(readiness.Warnings, Json));
                Add(c, "@at", Iso(readiness.CheckedAt));
            },
            ct
        );

    /// <summary>The environment's latest readiness verdict, or null when it was never prepared.</summary>
    public async Task<EnvironmentReadiness?> ReadinessAsync(string environmentId, CancellationToken ct = default)
    {
        await using var c = Open();
        await using var q = c.CreateCommand();
        q.CommandText = """
            SELECT wave_id, ready, reasons, warnings, checked_at FROM environment_readiness WHERE environment_id = @e
            """;
        Add(q, "@e", environmentId);
        await using var r = await q.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
            return null;
        return new EnvironmentReadiness(
            environmentId,
            r.GetString(0),
            r.GetInt64(1) == 1,
            JsonSerializer.Deserialize<List<ReadinessReason>>(r.GetString(2), Json) ?? [],
            JsonSerializer.Deserialize<List<string>>(r.GetString(3), Json) ?? [],
            ParseIso(r.GetString(4))
        );
    }

    static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
