using System.Data;
using System.Data.Common;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// A store's tables in the engine's SQLite file, created on the store's first connection (<see cref="StoreTables"/>:
/// one per store instance, as each may sit on another file). A write is an immediate transaction: it holds the
/// file's one write lock from its first statement, so writers of every process on the file queue there.
/// </summary>
internal sealed class SqliteStoreConnections(string databasePath, StoreTables tables, bool foreignKeys = false)
    : IStoreConnections
{
    readonly string _connectionString = SqliteFiles.ConnectionString(databasePath);

    public Task<DbConnection> OpenAsync(CancellationToken ct) =>
        Task.FromResult<DbConnection>(SqliteFiles.Open(_connectionString, tables, foreignKeys));

    // Serializable is Microsoft.Data.Sqlite's BEGIN IMMEDIATE: the write lock is taken at once, not at the first
    // write, so a transaction that reads before it writes never fails to upgrade its lock.
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
}
