using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// Durable WorkflowCore store in a PostgreSQL database that several engine nodes share. Same tables, encodings and
/// contract as <see cref="SqlitePersistenceProvider"/> (the contract tests run against both): lookups of a missing
/// workflow or event throw <see cref="WorkflowCore.Exceptions.NotFoundException"/>, a missing subscription gives null,
/// deletes and marks of missing rows are no-ops so that retried calls are harmless.
/// <para>
/// Across nodes: every call is one transaction, and the claims that decide who runs something are single statements
/// the server serializes (a scheduled command is claimed by deleting its row, a subscription by a conditional update),
/// so two nodes never both win. Who executes a workflow is decided by <see cref="PostgresDistributedLockProvider"/>.
/// </para>
/// </summary>
public sealed partial class PostgresPersistenceProvider : IWorkflowStore, IDisposable
{
    private readonly PostgresStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public PostgresPersistenceProvider(
        PostgresStoreOptions options,
        ILogger<PostgresPersistenceProvider>? logger = null,
        TimeProvider? timeProvider = null
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _store = new PostgresStore(options.Validated(), _logger);
    }

    /// <summary>The database and server, without credentials (named in every error).</summary>
    public string StoreDescription => _store.Description;

    /// <summary>Newest schema version this build can create and read.</summary>
    public static int SupportedSchemaVersion => PostgresSchema.LatestVersion;

    /// <summary>
    /// Brings the schema to <see cref="SupportedSchemaVersion"/> (once across nodes starting together). WorkflowCore
    /// calls it when the host starts; every other member also calls it once on first use. Throws
    /// <see cref="PostgresSchemaTooNewException"/> for a database migrated by a newer build.
    /// </summary>
    public void EnsureStoreExists() =>
        _store.EnsureCreatedAsync(PostgresSchema.Migrations, CancellationToken.None).GetAwaiter().GetResult();

    internal Task EnsureStoreExistsAsync(IReadOnlyList<PostgresMigration> migrations, CancellationToken ct) =>
        _store.EnsureCreatedAsync(migrations, ct);

    /// <summary>Schema version of the database, read now (0 before the first migration).</summary>
    public async Task<int> ReadSchemaVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await _store.OpenAsync(ct).ConfigureAwait(false);
        await using var probe = new Npgsql.NpgsqlCommand("SELECT to_regclass('schema_version') IS NULL", connection);
        return (bool)(await probe.ExecuteScalarAsync(ct).ConfigureAwait(false))!
            ? 0
            : await PostgresSchemaMigrator.ReadVersionAsync(connection, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes idle pooled connections; the provider stays usable: DI may dispose it from a scope while the host still
    /// holds it, because WorkflowCore registers persistence as transient.
    /// </summary>
    public void Dispose() => _store.ReleaseIdleConnections();
}
