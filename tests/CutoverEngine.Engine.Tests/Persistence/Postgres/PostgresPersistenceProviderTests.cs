using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Persistence.Postgres;
using CutoverEngine.Testing;

namespace CutoverEngine.Engine.Tests.Persistence.Postgres;

/// <summary>The persistence contract on PostgreSQL: the class's database, emptied before every test.</summary>
public sealed class PostgresPersistenceProviderTests(PostgresDatabase database)
    : PersistenceProviderContract,
        IClassFixture<PostgresDatabase>
{
    private readonly List<PostgresPersistenceProvider> _providers = [];

    protected override IWorkflowStore NewProvider(TimeProvider? time = null)
    {
        var provider = new PostgresPersistenceProvider(
            new PostgresStoreOptions { ConnectionString = database.ConnectionString },
            timeProvider: time
        );
        provider.EnsureStoreExists();
        _providers.Add(provider);
        return provider;
    }

    protected override Task<long> ScalarAsync(string sql) => database.ScalarAsync(sql);

    protected override string StoreName =>
        new PostgresStoreOptions { ConnectionString = database.ConnectionString }.Describe();

    public override Task InitializeAsync() => database.ResetAsync();

    public override Task DisposeAsync()
    {
        foreach (var provider in _providers)
            provider.Dispose();
        return Task.CompletedTask;
    }
}
