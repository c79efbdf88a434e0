using CutoverEngine.Engine.Persistence.Postgres;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Testing;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>The wave store's contract on PostgreSQL: the class's database, emptied before every test; each store
/// has a connection pool of its own, as a node has.</summary>
public sealed class PostgresWaveStoreTests(PostgresDatabase database)
    : WaveStoreContract,
        IClassFixture<PostgresDatabase>
{
    protected override WaveStore NewStore() =>
        WaveStore.OnPostgres(new PostgresStoreOptions { ConnectionString = database.ConnectionString });

    public override Task InitializeAsync() => database.ResetAsync();

    [Fact]
    public async Task The_wave_tables_come_with_the_schema_migrations()
    {
        await NewStore().ListAsync();

        Assert.Equal(
            PostgresPersistenceProvider.SupportedSchemaVersion,
            await database.ScalarAsync("SELECT max(version) FROM schema_version")
        );
        Assert.Equal(
            9,
            await database.ScalarAsync(
                """
                SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN
                    ('waves', 'wave_environments', 'notices', 'overrides', 'reminders', 'invitation_cancels',
                     'wave_cutovers', 'wave_approvals', 'wave_freeze_overrides')
                """
            )
        );
    }
}
