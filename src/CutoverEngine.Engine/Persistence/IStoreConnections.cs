using System.Data.Common;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// What an engine store with one set of rules and queries for both databases (<see cref="Waves.WaveStore"/>, <see
/// cref="Cutovers.Safety.PauseClaimStore"/>) needs of its database: only how a connection opens and how writes are
/// kept apart differ between the engine's SQLite file and the PostgreSQL database the nodes share.
/// </summary>
internal interface IStoreConnections
{
    /// <summary>A connection for one store operation, the store's tables present on it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// A transaction for one write, serialized with every other write of the store's tables (from this process or
    /// another node): a write's checks still hold when it commits, as with SQLite's one writer.
    /// </summary>
    Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);
}
