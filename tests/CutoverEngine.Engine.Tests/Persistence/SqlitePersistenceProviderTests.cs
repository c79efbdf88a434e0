using CutoverEngine.Engine.Persistence;

namespace CutoverEngine.Engine.Tests.Persistence;

/// <summary>The persistence contract on SQLite: a fresh database file for every test.</summary>
public sealed class SqlitePersistenceProviderTests : PersistenceProviderContract
{
    private readonly TempDatabase _db = new();

    protected override IWorkflowStore NewProvider(TimeProvider? time = null) => _db.NewProvider(time);

    protected override Task<long> ScalarAsync(string sql) => Task.FromResult(_db.Scalar(sql));

    protected override string StoreName => _db.Path;

    public override Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }
}
