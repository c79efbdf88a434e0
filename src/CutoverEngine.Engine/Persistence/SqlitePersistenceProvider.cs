using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// Durable WorkflowCore store in one SQLite file (WAL journal, synchronous FULL by default).
/// <para>
/// Thread-safe: WorkflowCore calls it from its poller, workflow and event consumers at once. Use one instance per
/// process (<see cref="SqliteWorkflowOptionsExtensions.UseSqlite(WorkflowCore.Models.WorkflowOptions, string)"/>
/// registers
/// a singleton). Several instances or processes on the same file are still correct: writes are serialized by a
/// per-file gate in-process and by SQLite's lock across processes.
/// </para>
/// <para>
/// Lookups of a missing workflow or event throw <see cref="WorkflowCore.Exceptions.NotFoundException"/>; a missing
/// subscription gives null (WorkflowCore relies on that). Deletes and marks of missing rows are no-ops, so that
/// retried calls are harmless.
/// </para>
/// </summary>
public sealed partial class SqlitePersistenceProvider : IWorkflowStore, IDisposable
{
    private readonly SqliteStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public SqlitePersistenceProvider(
        SqliteStoreOptions options,
        ILogger<SqlitePersistenceProvider>? logger = null,
        TimeProvider? timeProvider = null
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _store = new SqliteStore(options.Validated(), _logger);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath => _store.DatabasePath;

    /// <summary>The database file's full path.</summary>
    public string StoreDescription => DatabasePath;

    /// <summary>Newest schema version this build can create and read.</summary>
    public static int SupportedSchemaVersion => SqliteSchema.LatestVersion;

    /// <summary>Schema version of the file, read now (0 for a file without the store's schema).</summary>
    public int ReadSchemaVersion()
    {
        using var connection = _store.OpenConnection();
        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        return Convert.ToInt64(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0
            ? 0
            : SqliteSchemaMigrator.ReadVersion(connection, null);
    }

    /// <summary>
    /// Creates the file (and its directory) and brings the schema to <see cref="SupportedSchemaVersion"/>.
    /// WorkflowCore calls it when the host starts; every other member also calls it once on first use.
    /// Throws <see cref="SqliteSchemaTooNewException"/> for a database written by a newer build.
    /// </summary>
    public void EnsureStoreExists() => _store.EnsureCreated(SqliteSchema.Migrations);

    internal void EnsureStoreExists(IReadOnlyList<SqliteMigration> migrations) => _store.EnsureCreated(migrations);

    /// <summary>
    /// Releases idle pooled connections (and so the file handles). The provider stays usable: DI may dispose it
    /// from a scope while the host still holds it, because WorkflowCore registers persistence as transient.
    /// </summary>
    public void Dispose() => _store.ReleaseIdleConnections();
}
