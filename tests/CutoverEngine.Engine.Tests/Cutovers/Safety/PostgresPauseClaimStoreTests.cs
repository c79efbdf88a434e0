using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Cutovers.Safety;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Persistence.Postgres;
using CutoverEngine.Testing;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Tests.Cutovers.Safety;

/// <summary>The pause claims' contract on PostgreSQL: the class's database, emptied before every test; each store
/// has a connection pool of its own, as a node has, so the caps are counted across nodes.</summary>
public sealed class PostgresPauseClaimStoreTests(PostgresDatabase database)
    : PauseClaimStoreContract,
        IClassFixture<PostgresDatabase>
{
    readonly List<IDisposable> _opened = [];

    PostgresStoreOptions Store => new() { ConnectionString = database.ConnectionString };

    protected override PauseClaimStore NewStore(IOptions<SafetyOptions> options) =>
        Keep(PauseClaimStore.OnPostgres(Store, options));

    protected override IWorkflowStore NewWorkflowStore()
    {
        var provider = Keep(new PostgresPersistenceProvider(Store));
        provider.EnsureStoreExists();
        return provider;
    }

    T Keep<T>(T disposable)
        where T : IDisposable
    {
        _opened.Add(disposable);
        return disposable;
    }

    public override Task InitializeAsync() => database.ResetAsync();

    public override Task DisposeAsync()
    {
        foreach (var opened in _opened)
            opened.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_claims_table_comes_with_the_schema_migrations()
    {
        await NewStore(Options.Create(new SafetyOptions())).HeldAsync();

        Assert.Equal(
            1,
            await database.ScalarAsync(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                    + "AND table_name = 'pause_claims'"
            )
        );
    }
}
