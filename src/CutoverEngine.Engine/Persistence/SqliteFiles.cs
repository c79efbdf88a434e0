using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Persistence;

/// <summary>How every store on the engine's SQLite file connects to it (journal, waves, customer links).</summary>
public static class SqliteFiles
{
    /// <summary>
    /// The connection string of <paramref name="databasePath"/>, its directory created: pooled connections (a store
    /// opens one per operation) and a 30 s busy wait, since the stores share the file with WorkflowCore's writer.
    /// </summary>
    public static string ConnectionString(string databasePath)
    {
        var full = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>
    /// A connection for one store operation, with the settings every store shares: write-ahead log, a full sync on
    /// commit (a recorded change survives a power cut), a 10 s busy wait; its tables ensured.
    /// </summary>
    public static SqliteConnection Open(string connectionString, StoreTables tables, bool foreignKeys = false)
    {
        var c = new SqliteConnection(connectionString);
        try
        {
            c.Open();
            using (var pragma = c.CreateCommand())
            {
                pragma.CommandText =
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;"
                    + (foreignKeys ? " PRAGMA foreign_keys=ON;" : "");
                pragma.ExecuteNonQuery();
            }
            tables.EnsureOn(c);
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Whether the database file answers at its path: opened afresh (not from the pool, whose connections would
    /// still reach a file removed or replaced under them) without creating it, and its schema read. Null when it
    /// does, else why not. For readiness checks.
    /// </summary>
    public static async Task<string?> ProbeAsync(string databasePath, TimeSpan timeout, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(databasePath);
        if (!File.Exists(full))
            return $"no database file at {full}";
        try
        {
            await using var c = new SqliteConnection(
                new SqliteConnectionStringBuilder
                {
                    DataSource = full,
                    Mode = SqliteOpenMode.ReadWrite,
                    Pooling = false,
                    DefaultTimeout = Math.Max(1, (int)timeout.TotalSeconds),
                }.ToString()
            );
            await c.OpenAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM sqlite_master";
            await cmd.ExecuteScalarAsync(ct);
            return null;
        }
        catch (SqliteException e)
        {
            return $"{full}: {e.Message}";
        }
    }
}
