using System.Data.Common;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// What <see cref="WaveStore"/> needs of a database: its rules and queries are the same on each, only how a
/// connection opens and how writes are kept apart differ.
/// </summary>
internal interface IWaveStoreConnections
{
    /// <summary>A connection for one store operation, the wave tables present on it.</summary>
    Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// A transaction for one write, serialized with every other write of the wave tables (from this process or
    /// another node): a write's checks still hold when it commits, as with SQLite's one writer.
    /// </summary>
    Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);
}
