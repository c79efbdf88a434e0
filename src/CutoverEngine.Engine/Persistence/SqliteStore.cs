using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// Connections, pragmas and transactions for one database file.
/// Concurrency model: every operation opens its own pooled connection. Reads run in parallel (WAL gives each a
/// consistent snapshot). Writes go through the file's <see cref="SqliteGroupCommit"/> (shared with the journal): they
/// queue in memory instead of sleeping in SQLite's busy handler, and writes queued together share one commit.
/// </summary>
internal sealed class SqliteStore
{
    private readonly SqliteStoreOptions _options;
    private readonly ILogger _logger;
    private readonly SqliteGroupCommit _writer;
    private readonly string _pragmas;
    private readonly object _ensureLock = new();
    private volatile bool _ensured;

    public SqliteStore(SqliteStoreOptions validatedOptions, ILogger logger)
    {
        _options = validatedOptions;
        _logger = logger;
        DatabasePath = validatedOptions.DatabasePath;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = (int)Math.Ceiling(validatedOptions.BusyTimeout.TotalSeconds),
        }.ToString();
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)validatedOptions.BusyTimeout.TotalMilliseconds}; "
                + $"PRAGMA synchronous = {(validatedOptions.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL")};"
        );
        _writer = SqliteGroupCommit.For(DatabasePath);
        _writer.Configure(validatedOptions.Synchronous, validatedOptions.BusyTimeout);
    }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    public int SchemaVersion { get; private set; }

    /// <summary>Creates the directory and the file, switches to WAL, and migrates the schema. Idempotent.</summary>
    public void EnsureCreated(IReadOnlyList<SqliteMigration> migrations)
    {
        lock (_ensureLock)
        {
            var directory = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);

            _writer.Gate.Wait();
            try
            {
                using var connection = OpenConnection();

                // WAL is a property of the file and survives reopening; setting it again is a no-op.
                using (var wal = connection.CreateCommand())
                {
                    wal.CommandText = "PRAGMA journal_mode = WAL";
                    var mode = Convert.ToString(wal.ExecuteScalar(), CultureInfo.InvariantCulture);
                    if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                        _logger.LogWarning(
                            "Workflow store {DatabasePath}: SQLite refused WAL journal mode (got {Mode}); the file system may not "
                                + "support shared memory. Commits stay durable, but readers will block writers.",
                            DatabasePath,
                            mode
                        );
                }

                SchemaVersion = SqliteSchemaMigrator.Migrate(connection, migrations, DatabasePath, _logger);
            }
            catch (SqliteException ex)
            {
                throw new InvalidOperationException(
                    $"Workflow store '{DatabasePath}' could not be opened or migrated: {ex.Message}",
                    ex
                );
            }
            finally
            {
                _writer.Gate.Release();
            }

            _ensured = true;
        }
    }

    public void EnsureReady()
    {
        if (!_ensured)
            EnsureCreated(SqliteSchema.Migrations);
    }

    public SqliteConnection OpenConnection() => SqliteGroupCommit.Open(ConnectionString, _pragmas);

    /// <summary>Runs <paramref name="work"/> in one read snapshot (a deferred transaction).</summary>
    public async Task<T> ReadAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work,
        CancellationToken cancellationToken
    )
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureReady();
        await using var connection = OpenConnection();
        await using var tx = connection.BeginTransaction(deferred: true);
        var result = await work(connection, tx).ConfigureAwait(false);
        tx.Commit();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction (BEGIN IMMEDIATE, inside a savepoint of its own), after this
    /// process's earlier writes, possibly together with other writes queued meanwhile; returns after the commit.
    /// </summary>
    public Task<T> WriteAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work,
        CancellationToken cancellationToken
    )
    {
        EnsureReady();
        return _writer.WriteAsync(work, cancellationToken);
    }

    public Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>(
            async (c, t) =>
            {
                await work(c, t).ConfigureAwait(false);
                return true;
            },
            cancellationToken
        );

    /// <summary>Closes this file's idle pooled connections (releases file handles); the store stays usable.</summary>
    public void ReleaseIdleConnections()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
