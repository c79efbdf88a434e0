using System.Data.Common;
using CutoverEngine.Engine.Persistence.Postgres;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// The wave tables in the PostgreSQL database the nodes share (schema migration 2). A write takes the wave tables'
/// advisory lock for its transaction (<c>pg_advisory_xact_lock</c>), so writes from every node run one at a time, as
/// on SQLite: a read-then-write such as moving an environment between waves cannot interleave with another node's
/// change of those waves, and no write ever needs a serialization-failure retry. The lock ends with the transaction,
/// also when a node dies mid-write.
/// </summary>
internal sealed class PostgresWaveConnections(PostgresStoreOptions validatedOptions, ILogger logger)
    : IWaveStoreConnections
{
    readonly PostgresStore _store = new(validatedOptions, logger);

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        await _store.EnsureCreatedAsync(PostgresSchema.Migrations, ct);
        return await _store.OpenAsync(ct);
    }

    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        var npgsql = (NpgsqlConnection)connection;
        var tx = await npgsql.BeginTransactionAsync(ct);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, @object)", npgsql, tx);
            take.Parameters.AddWithValue("class", PostgresAdvisoryLocks.EngineClass);
            take.Parameters.AddWithValue("object", PostgresAdvisoryLocks.WaveWrites);
            await take.ExecuteNonQueryAsync(ct);
            return tx;
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }
}
