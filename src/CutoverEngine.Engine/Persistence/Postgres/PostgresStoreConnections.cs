using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary>
/// A store's tables in the PostgreSQL database the nodes share, created by the schema's migrations on first use. A
/// write takes the store's advisory lock for its transaction (<c>pg_advisory_xact_lock</c>, key
/// <paramref name="writeLock"/> of <see cref="PostgresAdvisoryLocks"/>), so the store's writes from every node run
/// one at a time, as on SQLite: a read-then-write (moving an environment between waves, counting pause claims before
/// taking one) cannot interleave with another node's, and no write ever needs a serialization-failure retry. The lock
/// ends with the transaction, also when a node dies mid-write.
/// </summary>
internal sealed class PostgresStoreConnections(PostgresStoreOptions validatedOptions, ILogger logger, int writeLock)
    : IStoreConnections
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
            take.Parameters.AddWithValue("object", writeLock);
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
