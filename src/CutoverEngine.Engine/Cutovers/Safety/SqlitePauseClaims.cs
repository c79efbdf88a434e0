using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Safety;

/// <summary>
/// Pause claims in the engine's SQLite file (table pause_claims), next to the workflows that own them. A claim is
/// counted and inserted in one write transaction (BEGIN IMMEDIATE takes the file's write lock first), so cutovers
/// of any process on the file cannot both take the last slot. A claim whose owner is no longer a running or
/// suspended workflow (completed, terminated by a stopped wave, gone) is dropped in the same transaction: the
/// workflow store is the truth of who is in flight. Within the process a semaphore queues the claims, so they wait
/// on each other rather than on SQLite's busy timeout.
/// </summary>
public sealed class SqlitePauseClaims : IPauseClaims, IDisposable
{
    readonly string _connectionString;
    readonly SafetyOptions _options;
    readonly SemaphoreSlim _gate = new(1, 1);

    readonly StoreTables _tables = new(
        """
        CREATE TABLE IF NOT EXISTS pause_claims (
            owner TEXT NOT NULL, environment_id TEXT NOT NULL, customer TEXT NOT NULL, account_id TEXT NOT NULL,
            production INTEGER NOT NULL, claimed_at INTEGER NOT NULL, PRIMARY KEY (owner, environment_id));
        """
    );

    /// <exception cref="OptionsValidationException">The Safety settings are not usable (each problem naming its
    /// setting).</exception>
    public SqlitePauseClaims(string databasePath, IOptions<SafetyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        var problems = _options.Validate().ToList();
        if (problems.Count > 0)
            throw new OptionsValidationException(SafetyOptions.SectionName, typeof(SafetyOptions), problems);
        _connectionString = SqliteFiles.ConnectionString(databasePath);
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The workflows in flight, WorkflowCore's statuses 0 runnable and 1 suspended (2 complete, 3
    /// terminated).</summary>
    const string LiveOwners = "SELECT id FROM workflow_instance WHERE status IN (0, 1)";

    SqliteConnection Open() => SqliteFiles.Open(_connectionString, _tables);

    public async Task<PauseHold?> TryClaimAsync(IReadOnlyList<PauseClaim> asking, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(asking.Count);
        var owner = asking[0].Owner;
        if (asking.Any(a => a.Owner != owner))
            throw new ArgumentException("the claims of one call belong to one owner", nameof(asking));
        await _gate.WaitAsync(ct);
        try
        {
            await using var c = Open();
            // First a read of the live claims (a snapshot, no write lock): a cutover held, as most asks of a full cap
            // are, costs the file no write transaction and no fsync. Only an ask that may fit takes the write lock,
            // and the decision is made again under it.
            var live = await ReadAsync(c, null, liveOnly: true, ct);
            if (asking.All(a => EnvironmentsOf(live, owner).Contains(a.Environment)))
                return null;
            if (PauseCaps.Hold(live, asking, _options) is { } seen)
                return seen;
            await using var tx = (SqliteTransaction)
                await c.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
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
                insert.Parameters.AddWithValue("@owner", claim.Owner);
                insert.Parameters.AddWithValue("@environment", claim.Environment);
                insert.Parameters.AddWithValue("@customer", claim.Customer);
                insert.Parameters.AddWithValue("@account", claim.Account);
                insert.Parameters.AddWithValue("@production", claim.Production ? 1 : 0);
                insert.Parameters.AddWithValue("@at", claim.ClaimedAt.UtcTicks);
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
            await using var c = Open();
            await using var delete = c.CreateCommand();
            delete.CommandText = "DELETE FROM pause_claims WHERE owner = @owner";
            delete.Parameters.AddWithValue("@owner", owner);
            await delete.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<PauseClaim>> HeldAsync(CancellationToken ct = default)
    {
        await using var c = Open();
        return await ReadAsync(c, null, liveOnly: false, ct);
    }

    static HashSet<string> EnvironmentsOf(IEnumerable<PauseClaim> claims, string owner) =>
        claims.Where(c => c.Owner == owner).Select(c => c.Environment).ToHashSet(StringComparer.Ordinal);

    /// <param name="liveOnly">Only the claims of owners in flight (the ones a reclaim would keep).</param>
    static async Task<List<PauseClaim>> ReadAsync(
        SqliteConnection c,
        SqliteTransaction? tx,
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
                    r.GetInt64(4) != 0,
                    new DateTimeOffset(r.GetInt64(5), TimeSpan.Zero)
                )
            );
        return claims;
    }
}
