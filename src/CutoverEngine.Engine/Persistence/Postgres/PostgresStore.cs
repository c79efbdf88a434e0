using Microsoft.Extensions.Logging;
using Npgsql;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// Connections and transactions for one PostgreSQL database. Every operation takes a pooled connection of its own and
/// runs in one READ COMMITTED transaction; the server serializes writers, so unlike the SQLite store there is no
/// in-process write queue, and nodes on other hosts are ordinary concurrent clients.
/// </summary>
internal sealed class PostgresStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly object _ensureLock = new();
    private Task? _ensured;

    public PostgresStore(PostgresStoreOptions validatedOptions, ILogger logger)
    {
        _logger = logger;
        Description = validatedOptions.Describe();
        _dataSource = NpgsqlDataSource.Create(validatedOptions.ConnectionString!);
    }

    /// <summary>The database and server, without credentials: for messages and logs.</summary>
    public string Description { get; }

    public int SchemaVersion { get; private set; }

    /// <summary>Migrates the schema (under the migration lock, so concurrent nodes migrate once). Idempotent; calls
    /// made while a migration runs wait for it, and a failed one is tried again by the next call.</summary>
    public Task EnsureCreatedAsync(IReadOnlyList<PostgresMigration> migrations, CancellationToken ct)
    {
        lock (_ensureLock)
        {
            if (_ensured is null || _ensured.IsFaulted || _ensured.IsCanceled)
                _ensured = MigrateAsync(migrations, ct);
            return _ensured;
        }
    }

    private async Task MigrateAsync(IReadOnlyList<PostgresMigration> migrations, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct).ConfigureAwait(false);
            SchemaVersion = await PostgresSchemaMigrator
                .MigrateAsync(connection, migrations, Description, _logger, ct)
                .ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"Workflow store {Description} could not be opened or migrated: {ex.Message}",
                ex
            );
        }
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException($"Workflow store {Description} is unreachable: {ex.Message}", ex);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it. Reads and writes alike: a read
    /// sees one consistent snapshot per statement.</summary>
    public async Task<T> RunAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work,
        CancellationToken cancellationToken
    )
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureCreatedAsync(PostgresSchema.Migrations, cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task RunAsync(Func<NpgsqlConnection, NpgsqlTransaction, Task> work, CancellationToken cancellationToken) =>
        RunAsync<bool>(
            async (c, t) =>
            {
                await work(c, t).ConfigureAwait(false);
                return true;
            },
            cancellationToken
        );

    /// <summary>Closes idle pooled connections; the store stays usable.</summary>
    public void ReleaseIdleConnections() => _dataSource.Clear();
}
