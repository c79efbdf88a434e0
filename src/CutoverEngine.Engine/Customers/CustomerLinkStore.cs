using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Customers;

/// <summary>
/// The generation of each customer's links, in the engine's database: a link carries the generation it was issued
/// under, and revoking bumps it, so every link issued before stops working at once while new ones can be issued.
/// </summary>
public sealed class CustomerLinkStore
{
    readonly string _connectionString;
    volatile bool _ready;

    public CustomerLinkStore(string databasePath)
    {
        _connectionString = Persistence.SqliteFiles.ConnectionString(databasePath);
    }

    async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        // The table once per process, as WaveStore does: every feed request opens a connection.
        if (_ready)
            return c;
        await using var ddl = c.CreateCommand();
        ddl.CommandText = """
            CREATE TABLE IF NOT EXISTS customer_links (
                customer_id TEXT PRIMARY KEY, generation INTEGER NOT NULL, revoked_at TEXT NULL, revoked_by TEXT NULL);
            """;
        await ddl.ExecuteNonQueryAsync(ct);
        _ready = true;
        return c;
    }

    /// <summary>The generation links are issued under now: 1 until the first revocation.</summary>
    public async Task<int> GenerationAsync(string customerId, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT generation FROM customer_links WHERE customer_id = @c";
        cmd.Parameters.AddWithValue("@c", customerId);
        return await cmd.ExecuteScalarAsync(ct) is long g ? (int)g : 1;
    }

    /// <summary>Revokes every link issued so far; returns the new generation.</summary>
    public async Task<int> RevokeAsync(
        string customerId,
        string actor,
        DateTimeOffset now,
        CancellationToken ct = default
    )
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO customer_links (customer_id, generation, revoked_at, revoked_by) VALUES (@c, 2, @at, @by)
            ON CONFLICT (customer_id) DO UPDATE SET generation = generation + 1, revoked_at = @at, revoked_by = @by
            RETURNING generation
            """;
        cmd.Parameters.AddWithValue("@c", customerId);
        cmd.Parameters.AddWithValue("@at", now.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("@by", actor);
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
