using CutoverEngine.Engine.Waves;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>The wave store's contract on SQLite: a fresh database file for every test.</summary>
public sealed class SqliteWaveStoreTests : WaveStoreContract
{
    readonly string _directory = Path.Combine(
        Path.GetTempPath(),
        "cutover-wave-store-tests",
        Guid.NewGuid().ToString("N")
    );

    protected override WaveStore NewStore() => new(Path.Combine(_directory, "cutover.db"));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
