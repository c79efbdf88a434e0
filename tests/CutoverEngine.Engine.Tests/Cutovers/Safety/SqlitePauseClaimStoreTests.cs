using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Cutovers.Safety;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Tests.Persistence;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Tests.Cutovers.Safety;

/// <summary>The pause claims' contract on the engine's SQLite file, a new file per test.</summary>
public sealed class SqlitePauseClaimStoreTests : PauseClaimStoreContract
{
    readonly TempDatabase _db = new();
    readonly List<IDisposable> _opened = [];

    protected override PauseClaimStore NewStore(IOptions<SafetyOptions> options) =>
        Keep(new PauseClaimStore(_db.Path, options));

    protected override IWorkflowStore NewWorkflowStore() => Keep(_db.NewProvider());

    T Keep<T>(T disposable)
        where T : IDisposable
    {
        _opened.Add(disposable);
        return disposable;
    }

    public override Task DisposeAsync()
    {
        foreach (var opened in _opened)
            opened.Dispose();
        _db.Dispose();
        return Task.CompletedTask;
    }
}
