using System.Data;
using System.Data.Common;
using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Persistence.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Safety;

/// <summary>
/// Pause claims (table pause_claims) next to the workflows that own them: in the engine's SQLite file, or in the
/// PostgreSQL database a fleet of nodes shares (<see cref="OnPostgres"/>), so the caps hold across every node. A claim
/// is counted and inserted in one write transaction that the database serializes with every other claim (SQLite's
/// BEGIN IMMEDIATE; PostgreSQL's transaction-scoped advisory lock, <see cref="PostgresStoreConnections"/>), so
/// cutovers of any process or node cannot both take the last slot. One set of rules and queries for both. A claim
/// whose owner is no longer a running or suspended workflow (completed, terminated by a stopped wave, gone) is
/// dropped in the same transaction: the workflow store is the truth of who is in flight. Within the process a
/// semaphore queues the claims, so they wait on each other rather than on the database's lock.
/// </summary>
public sealed class PauseClaimStore : IPauseClaims, IDisposable
{
    readonly IStoreConnections _connections;
    readonly SafetyOptions _options;
    readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Claims in the engine's SQLite file at <paramref name="databasePath"/>.</summary>
    /// <exception cref="OptionsValidationException">The Safety settings are not usable (each problem naming its
    /// setting).</exception>
    public PauseClaimStore(string databasePath, IOptions<SafetyOptions> options)
        : this(
            new SqliteStoreConnections(
                databasePath,
                new StoreTables(
                    """
                    CREATE TABLE IF NOT EXISTS pause_claims (
                        owner TEXT NOT NULL, environment_id TEXT NOT NULL, customer TEXT NOT NULL,
                        account_id TEXT NOT NULL, production INTEGER NOT NULL, claimed_at INTEGER NOT NULL,
                        PRIMARY KEY (owner, environment_id));
                    """
                )
            ),
            options
        ) { }

    PauseClaimStore(IStoreConnections connections, IOptions<SafetyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var problems = _options.Validate().ToList();
        if (problems.Count > 0)
            throw new OptionsValidationException(SafetyOptions.SectionName, typeof(SafetyOptions), problems);
        _connections = connections;
    }

    /// <summary>Claims in the PostgreSQL database the nodes share (schema migration 3): the caps count every node's
    /// paused environments.</summary>
    /// <exception cref="OptionsValidationException">The Safety or PostgreSQL settings are not usable.</exception>
    public static PauseClaimStore OnPostgres(
        PostgresStoreOptions store,
        IOptions<SafetyOptions> options,
        ILogger? logger = null
    )
    {
        ArgumentNullException.ThrowIfNull(store);
        return new PauseClaimStore(
            new PostgresStoreConnections(
                store.Validated(),
                logger ?? NullLogger.Instance,
                PostgresAdvisoryLocks.PauseClaimWrites
            ),
            options
        );
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The workflows in flight, WorkflowCore's statuses 0 runnable and 1 suspended (2 complete, 3
    /// terminated).</summary>
    const string LiveOwners = "SELECT id FROM workflow_instance WHERE status IN (0, 1)";

    public async Task<PauseHold?> TryClaimAsync(IReadOnlyList<PauseClaim> asking, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(asking.Count);
        var owner = asking[0].Owner;
        if (asking.Any(a => a.Owner != owner))
            throw new ArgumentException("the claims of one call belong to one owner", nameof(asking));
        await _gate.WaitAsync(ct);
        try
        {
            await using var c = await _connections.OpenAsync(ct);
            // First a read of the live claims (a snapshot, no write lock): a cutover held, as most asks of a full cap
            // are, costs the file no write transaction and no fsync. Only an ask that may fit takes the write lock,
            // and the decision is made again under it.
            var live = await ReadAsync(c, null, liveOnly: true, ct);
            if (asking.All(a => EnvironmentsOf(live, owner).Contains(a.Environment)))
                return null;
            if (PauseCaps.Hold(live, asking, _options) is { } seen)
                return seen;
            await using var tx = await _connections.BeginWriteAsync(c, ct);
            await using (var reclaim = c.CreateCommand())
            {
                reclaim.Transaction = tx;
                reclaim.CommandText = $"DELETE FROM pause_claims WHERE owner NOT IN ({LiveOwners})";
                await reclaim.ExecuteNonQueryAsync(ct);
            }
            var claimed = await ReadAsync(c, tx, liveOnly: false, ct);
            var mine = EnvironmentsOf(claimed, owner);
            if (asking.All(a => mine.Contains(a.Environment)))
            {
                // A replayed step: the claim it took stands, counted once.
                await tx.CommitAsync(ct);
                return null;
            }
            if (PauseCaps.Hold(claimed, asking, _options) is { } hold)
            {
                await tx.CommitAsync(ct); // keeps the reclaim
                return hold;
            }
            foreach (var claim in asking.Where(a => !mine.Contains(a.Environment)))
            {
                await using var insert = c.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = """
                    INSERT INTO pause_claims (owner, environment_id, customer, account_id, production, claimed_at)
                    VALUES (@owner, @environment, @customer, @account, @production, @at)
                    """;
                insert.AddTyped("@owner", DbType.String, claim.Owner);
                insert.AddTyped("@environment", DbType.String, claim.Environment);
                insert.AddTyped("@customer", DbType.String, claim.Customer);
                insert.AddTyped("@account", DbType.String, claim.Account);
                insert.AddTyped("@production", DbType.Boolean, claim.Production);
                insert.AddTyped("@at", DbType.Int64, claim.ClaimedAt.UtcTicks);
                await insert.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReleaseAsync(string owner, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var c = await _connections.OpenAsync(ct);
            await using var delete = c.CreateCommand();
            delete.CommandText = "DELETE FROM pause_claims WHERE owner = @owner";
            delete.AddTyped("@owner", DbType.String, owner);
            await delete.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<PauseClaim>> HeldAsync(CancellationToken ct = default)
    {
        await using var c = await _connections.OpenAsync(ct);
        return await ReadAsync(c, null, liveOnly: false, ct);
    }

    static HashSet<string> EnvironmentsOf(IEnumerable<PauseClaim> claims, string owner) =>
        claims.Where(c => c.Owner == owner).Select(c => c.Environment).ToHashSet(StringComparer.Ordinal);

    /// <param name="liveOnly">Only the claims of owners in flight (the ones a reclaim would keep).</param>
    static async Task<List<PauseClaim>> ReadAsync(
        DbConnection c,
        DbTransaction? tx,
        bool liveOnly,
        CancellationToken ct
    )
    {
        await using var select = c.CreateCommand();
        select.Transaction = tx;
        select.CommandText = $"""
            SELECT owner, environment_id, customer, account_id, production, claimed_at FROM pause_claims
            {(liveOnly ? $"WHERE owner IN ({LiveOwners})" : "")}
            ORDER BY claimed_at, owner, environment_id
            """;
        var claims = new List<PauseClaim>();
        await using var r = await select.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            claims.Add(
                new PauseClaim(
                    r.GetString(0),
                    r.GetString(1),
                    r.GetString(2),
                    r.GetString(3),
                    r.GetBoolean(4),
                    new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero)
                )
            );
        return claims;
    }
}
