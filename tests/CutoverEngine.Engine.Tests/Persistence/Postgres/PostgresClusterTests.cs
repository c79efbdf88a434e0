using CutoverEngine.Testing;

namespace CutoverEngine.Engine.Tests.Persistence.Postgres;

/// <summary>The throw-away cluster every PostgreSQL test relies on: started once, a database per class.</summary>
public sealed class PostgresClusterTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task The_class_gets_an_empty_database_of_its_own_on_the_run_cluster()
    {
        Assert.Equal(
            0,
            await database.ScalarAsync("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        );
        Assert.Equal(
            1,
            await database.ScalarAsync($"SELECT count(*) FROM pg_database WHERE datname = '{database.Name}'")
        );
    }

    [Fact]
    public async Task Every_caller_shares_one_cluster()
    {
        Assert.Same(await PostgresCluster.GetAsync(), await PostgresCluster.GetAsync());
    }
}
