using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>A cutover finalised: from then on it cannot be reverted.</summary>
public sealed record EnvironmentFinalisation(
    string EnvironmentId,
    string CutoverInstance,
    string WaveId,
    DateTimeOffset FinalisedAt,
    string Actor,
    string? EarlyReason
);

/// <summary>
/// Which cutovers are finalised, in the engine's SQLite file (table environment_finalisations) beside the waves and
/// what prepare remembered: the revert launcher reads it to refuse, and finalise to skip what is done. One row per
/// (environment, cutover), written once (<c>INSERT OR IGNORE</c>: a replay keeps the first instant and actor).
/// </summary>
public sealed class FinaliseStore
{
    readonly string _connectionString;

    public FinaliseStore(string databasePath)
    {
        _connectionString = Persistence.SqliteFiles.ConnectionString(databasePath);
    }

    // Per instance, not static: each store may sit on another file.
    readonly Persistence.StoreTables _tables = new(
        """
        CREATE TABLE IF NOT EXISTS environment_finalisations (
            environment_id TEXT NOT NULL, cutover_instance TEXT NOT NULL, wave_id TEXT NOT NULL,
            finalised_at TEXT NOT NULL, actor TEXT NOT NULL, early_reason TEXT NULL,
            PRIMARY KEY (environment_id, cutover_instance));
        """
    );

    SqliteConnection Open() => Persistence.SqliteFiles.Open(_connectionString, _tables);

    static string Iso(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public async Task RecordAsync(EnvironmentFinalisation f, CancellationToken ct = default)
    {
        await using var c = Open();
        await using var command = c.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO environment_finalisations
                (environment_id, cutover_instance, wave_id, finalised_at, actor, early_reason)
            VALUES (@e, @i, @w, @at, @actor, @early)
            """;
        command.Parameters.AddWithValue("@e", f.EnvironmentId);
        command.Parameters.AddWithValue("@i", f.CutoverInstance);
        command.Parameters.AddWithValue("@w", f.WaveId);
        command.Parameters.AddWithValue("@at", Iso(f.FinalisedAt));
        command.Parameters.AddWithValue("@actor", f.Actor);
        command.Parameters.AddWithValue("@early", (object?)f.EarlyReason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The finalisation of <paramref name="cutoverInstance"/>, or null when it is not finalised.</summary>
    public async Task<EnvironmentFinalisation?> FindAsync(
        string environmentId,
        string cutoverInstance,
        CancellationToken ct = default
    )
    {
        await using var c = Open();
        await using var q = c.CreateCommand();
        q.CommandText = """
            SELECT wave_id, finalised_at, actor, early_reason FROM environment_finalisations
            WHERE environment_id = @e AND cutover_instance = @i
            """;
        q.Parameters.AddWithValue("@e", environmentId);
        q.Parameters.AddWithValue("@i", cutoverInstance);
        await using var r = await q.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
            return null;
        return new EnvironmentFinalisation(
            environmentId,
            cutoverInstance,
            r.GetString(0),
            DateTimeOffset.Parse(
                r.GetString(1),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal
            ),
            r.GetString(2),
            r.IsDBNull(3) ? null : r.GetString(3)
        );
    }
}
