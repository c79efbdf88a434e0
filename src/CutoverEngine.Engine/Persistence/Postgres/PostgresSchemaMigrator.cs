using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// Brings the database up to the newest schema this build knows, in one transaction that first takes the engine's
/// migration lock (<c>pg_advisory_xact_lock</c>): two nodes starting at once queue there, and the second finds the
/// schema current and applies nothing. The lock ends with the transaction, also when the node dies mid-migration
/// (the server rolls the transaction back), so it cannot be left behind.
/// </summary>
internal static class PostgresSchemaMigrator
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER     NOT NULL PRIMARY KEY,
            description TEXT        NOT NULL,
            applied_utc TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """;

    /// <summary>Returns the schema version after migrating. Safe to run any number of times, from several
    /// nodes at once.</summary>
    public static async Task<int> MigrateAsync(
        NpgsqlConnection connection,
        IReadOnlyList<PostgresMigration> migrations,
        string store,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        CheckOrdered(migrations);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;

        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (
            var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, @object)", connection, tx)
        )
        {
            lockCommand.Parameters.AddWithValue("class", PostgresAdvisoryLocks.EngineClass);
            lockCommand.Parameters.AddWithValue("object", PostgresAdvisoryLocks.SchemaMigration);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await ExecuteAsync(connection, tx, CreateVersionTable, cancellationToken).ConfigureAwait(false);

        var current = await ReadVersionAsync(connection, tx, cancellationToken).ConfigureAwait(false);
        if (current > latest)
            throw new PostgresSchemaTooNewException(store, current, latest);

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            try
            {
                await ExecuteAsync(connection, tx, migration.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException(
                    $"Workflow store {store}: schema migration {migration.Version} ({migration.Description}) failed: "
                        + $"{ex.MessageText}. No change was made; the database stays at version "
                        + current.ToString(CultureInfo.InvariantCulture)
                        + ".",
                    ex
                );
            }

            await using var record = new NpgsqlCommand(
                "INSERT INTO schema_version (version, description) VALUES (@v, @d)",
                connection,
                tx
            );
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("d", migration.Description);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation(
                "Workflow store {Store}: applied schema migration {Version} ({Description})",
                store,
                migration.Version,
                migration.Description
            );
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Math.Max(current, latest);
    }

    public static async Task<int> ReadVersionAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? tx,
        CancellationToken cancellationToken
    )
    {
        await using var cmd = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection, tx);
        return Convert.ToInt32(
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture
        );
    }

    private static void CheckOrdered(IReadOnlyList<PostgresMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException(
                    $"Schema migrations must be numbered 1, 2, 3... without gaps; entry {i} has version {migrations[i].Version}."
                );
        }
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction tx,
        string sql,
        CancellationToken cancellationToken
    )
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
