using Npgsql;

namespace CutoverEngine.Testing;

/// <summary>
/// An empty database of its own on the run's <see cref="PostgresCluster"/>, for one test class
/// (<c>IClassFixture&lt;PostgresDatabase&gt;</c>); dropped when the class is done. Fails the class's tests with the
/// cluster's reason when no cluster could be started.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    PostgresCluster? _cluster;

    /// <summary>Name of the database: unique per fixture, so classes running in parallel never meet.</summary>
    public string Name { get; } = "cutover_test_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Connection string to this database as the cluster's superuser.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.GetAsync();
        ConnectionString = await _cluster.CreateDatabaseAsync(Name);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null && ConnectionString.Length > 0)
            await _cluster.DropDatabaseAsync(Name);
    }

    /// <summary>Runs a statement and returns its first value as a long (counts in assertions).</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Drops every table (the whole public schema), so that the next test of the class starts from an empty
    /// database as if it had one of its own.</summary>
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public", connection);
        await command.ExecuteNonQueryAsync();
    }
}
