using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Persistence;

/// <summary>Brings a database up to the newest schema this build knows, in one transaction.</summary>
internal static class SqliteSchemaMigrator
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER NOT NULL PRIMARY KEY,
            description TEXT    NOT NULL,
            applied_utc TEXT    NOT NULL
        )
        """;

    /// <summary>Returns the schema version after migrating. Safe to run any number of times, from several
    /// processes.</summary>
    public static int Migrate(
        SqliteConnection connection,
        IReadOnlyList<SqliteMigration> migrations,
        string databasePath,
        ILogger logger
    )
    {
        CheckOrdered(migrations);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;

        // IMMEDIATE: two processes starting at once serialize here instead of both applying migration 1.
        using var tx = connection.BeginTransaction(deferred: false);
        Execute(connection, tx, CreateVersionTable);

        var current = ReadVersion(connection, tx);
        if (current > latest)
            throw new SqliteSchemaTooNewException(databasePath, current, latest);

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            try
            {
                Execute(connection, tx, migration.Sql);
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException(
                    $"Workflow store '{databasePath}': schema migration {migration.Version} ({migration.Description}) failed: {ex.Message}. "
                        + "No change was made; the database stays at version "
                        + current.ToString(CultureInfo.InvariantCulture)
                        + ".",
                    ex
                );
            }

            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_version (version, description, applied_utc) VALUES ($v, $d, $t)";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$d", migration.Description);
            record.Parameters.AddWithValue("$t", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
            logger.LogInformation(
                "Workflow store {DatabasePath}: applied schema migration {Version} ({Description})",
                databasePath,
                migration.Version,
                migration.Description
            );
        }

        tx.Commit();
        return Math.Max(current, latest);
    }

    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void CheckOrdered(IReadOnlyList<SqliteMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException(
                    $"Schema migrations must be numbered 1, 2, 3... without gaps; entry {i} has version {migrations[i].Version}."
                );
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
