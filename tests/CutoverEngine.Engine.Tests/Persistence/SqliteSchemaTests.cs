using CutoverEngine.Engine.Persistence;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Persistence;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void First_run_creates_directory_file_schema_and_wal()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_db.Path)));
        var provider = new SqlitePersistenceProvider(new SqliteStoreOptions { DatabasePath = _db.Path });
        provider.EnsureStoreExists();

        Assert.True(File.Exists(_db.Path));
        Assert.Equal(_db.Path, provider.DatabasePath);
        Assert.Equal(SqlitePersistenceProvider.SupportedSchemaVersion, provider.ReadSchemaVersion());
        Assert.Equal(
            SqlitePersistenceProvider.SupportedSchemaVersion,
            _db.Scalar("SELECT count(*) FROM schema_version")
        );
        using var connection = _db.OpenRaw();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public async Task Running_it_again_is_harmless_and_keeps_the_data()
    {
        var provider = _db.NewProvider();
        var id = await provider.CreateNewWorkflow(
            new WorkflowInstance { WorkflowDefinitionId = "cutover", CreateTime = DateTime.UtcNow }
        );

        provider.EnsureStoreExists();
        var again = _db.NewProvider();
        again.EnsureStoreExists();

        Assert.Equal(
            SqlitePersistenceProvider.SupportedSchemaVersion,
            _db.Scalar("SELECT count(*) FROM schema_version")
        );
        Assert.Equal(id, (await again.GetWorkflowInstance(id)).Id);
    }

    [Fact]
    public async Task Concurrent_first_starts_apply_each_migration_once()
    {
        var providers = Enumerable
            .Range(0, 4)
            .Select(_ => new SqlitePersistenceProvider(new SqliteStoreOptions { DatabasePath = _db.Path }))
            .ToList();
        await Task.WhenAll(providers.Select(p => Task.Run(p.EnsureStoreExists)));
        Assert.Equal(
            SqlitePersistenceProvider.SupportedSchemaVersion,
            _db.Scalar("SELECT count(*) FROM schema_version")
        );
    }

    [Fact]
    public async Task A_later_migration_is_applied_in_order_to_an_existing_database()
    {
        var provider = _db.NewProvider();
        var id = await provider.CreateNewWorkflow(
            new WorkflowInstance { WorkflowDefinitionId = "cutover", CreateTime = DateTime.UtcNow }
        );

        var upgraded = SqliteSchema
            .Migrations.Concat([
                new SqliteMigration(
                    SqliteSchema.LatestVersion + 1,
                    "add cutover journal",
                    "CREATE TABLE cutover_journal (id INTEGER PRIMARY KEY, line TEXT NOT NULL)"
                ),
                new SqliteMigration(
                    SqliteSchema.LatestVersion + 2,
                    "seed journal",
                    "INSERT INTO cutover_journal (line) VALUES ('migrated')"
                ),
            ])
            .ToList();
        var next = new SqlitePersistenceProvider(new SqliteStoreOptions { DatabasePath = _db.Path });
        next.EnsureStoreExists(upgraded);
        next.EnsureStoreExists(upgraded);

        Assert.Equal(SqliteSchema.LatestVersion + 2, next.ReadSchemaVersion());
        Assert.Equal(1, _db.Scalar("SELECT count(*) FROM cutover_journal"));
        Assert.Equal(id, (await next.GetWorkflowInstance(id)).Id);
    }

    [Fact]
    public void A_failing_migration_changes_nothing()
    {
        _db.NewProvider();
        var broken = SqliteSchema
            .Migrations.Concat([
                new SqliteMigration(
                    SqliteSchema.LatestVersion + 1,
                    "good",
                    "CREATE TABLE extra (id INTEGER PRIMARY KEY)"
                ),
                new SqliteMigration(
                    SqliteSchema.LatestVersion + 2,
                    "bad",
                    "ALTER TABLE no_such_table ADD COLUMN x TEXT"
                ),
            ])
            .ToList();

        var ex = Assert.Throws<InvalidOperationException>(() =>
            new SqlitePersistenceProvider(new SqliteStoreOptions { DatabasePath = _db.Path }).EnsureStoreExists(broken)
        );
        Assert.Contains($"migration {SqliteSchema.LatestVersion + 2}", ex.Message);
        Assert.Equal(SqliteSchema.LatestVersion, _db.Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'extra'"));
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        _db.NewProvider();
        using (var connection = _db.OpenRaw())
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText =
                "INSERT INTO schema_version (version, description, applied_utc) VALUES (99, 'from the future', '2030-01-01')";
            cmd.ExecuteNonQuery();
        }

        var provider = new SqlitePersistenceProvider(new SqliteStoreOptions { DatabasePath = _db.Path });
        var ex = Assert.Throws<SqliteSchemaTooNewException>(provider.EnsureStoreExists);
        Assert.Equal(99, ex.DatabaseVersion);
        Assert.Equal(SqlitePersistenceProvider.SupportedSchemaVersion, ex.SupportedVersion);
        Assert.Contains(_db.Path, ex.Message);
        Assert.Contains("newer", ex.Message);
        // Every other entry point refuses too, instead of reading a schema it does not know.
        await Assert.ThrowsAsync<SqliteSchemaTooNewException>(() => provider.GetRunnableInstances(DateTime.UtcNow));
    }

    [Fact]
    public void Options_are_checked_when_the_provider_is_built()
    {
        Assert.Throws<ArgumentException>(() =>
            new SqlitePersistenceProvider(new SqliteStoreOptions { DatabasePath = " " })
        );
        Assert.Throws<ArgumentException>(() =>
            new SqlitePersistenceProvider(new SqliteStoreOptions { DatabasePath = ":memory:" })
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SqlitePersistenceProvider(
                new SqliteStoreOptions { DatabasePath = _db.Path, BusyTimeout = TimeSpan.FromSeconds(-1) }
            )
        );
        Assert.Equal("./data/cutover.db", new SqliteStoreOptions().DatabasePath);
        Assert.Equal(SqliteSynchronousMode.Full, new SqliteStoreOptions().Synchronous);
    }
}
