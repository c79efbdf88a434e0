using System.Net;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>Records the waves the scheduler started (instead of running cutovers).</summary>
internal sealed class RecordingStarter : IWaveStarter
{
    readonly List<(string WaveId, string Actor)> _started = [];

    public IReadOnlyList<(string WaveId, string Actor)> Started { get { lock (_started) return [.. _started]; } }

    public Task StartClaimedAsync(Wave wave, string actor, CancellationToken ct = default)
    {
        lock (_started) _started.Add((wave.Id, actor));
        return Task.CompletedTask;
    }
}

/// <summary>A wave store, journal, scheduler and service on a temp database and a fake clock; "restart" builds a new scheduler on the same file.</summary>
internal sealed class WaveWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public WaveWorld()
    {
        Directory = Path.Combine(Path.GetTempPath(), "cutover-wave-tests", Guid.NewGuid().ToString("N"));
        DatabasePath = Path.Combine(Directory, "cutover.db");
        Clock = new FakeTimeProvider(T0);
        Store = new WaveStore(DatabasePath);
        Journal = new SqliteJournal(DatabasePath, Clock);
        Inventory = new Inventory(1, [Account], [Env("acme-dev", "acme", Tier.Development), Env("acme-stg", "acme", Tier.Staging),
            Env("acme-prod", "acme", Tier.Production), Env("solo-prod", "solo", Tier.Production)]);
        Restart();
    }

    static readonly AwsAccount Account = new("111111111111", "main", "eu-west-1", null);

    public static CutoverEnvironment Env(string id, string customer, Tier tier) => new(id, customer, tier, Offering.V8, Account, "eu-west-1",
        new HostedZoneRef("Z1", "example.test"), "example.test", new Uri("http://127.0.0.1:1/"), IpStrategy.ElasticIp, null, null,
        [new MtaHost($"mta.{id}.example.test", IPAddress.Parse("192.0.2.1"), new MtaTarget("i-1", "eipalloc-1", IPAddress.Parse("198.51.100.1"), "mta"))], null);

    public string Directory { get; }
    public string DatabasePath { get; }
    public FakeTimeProvider Clock { get; }
    public WaveStore Store { get; }
    public SqliteJournal Journal { get; }
    public Inventory Inventory { get; }
    public ScheduleOptions Options { get; } = new();
    public RecordingStarter Starter { get; private set; } = null!;
    public WaveScheduler Scheduler { get; private set; } = null!;
    public WaveService Service { get; private set; } = null!;

    /// <summary>A host restart: the old scheduler's timers are gone; a new one reads the store.</summary>
    public void Restart()
    {
        Scheduler?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Starter = new RecordingStarter();
        Scheduler = new WaveScheduler(Store, Journal, Clock, Options, Starter);
        Service = new WaveService(Store, Journal, Clock, new NoticePolicy(new NoticePolicyOptions()), Inventory, Scheduler, Starter);
    }

    /// <summary>Notifies every environment's customer now.</summary>
    public async Task NotifyAllAsync(string waveId)
    {
        foreach (var e in Inventory.Environments) await Service.RecordNoticeAsync(waveId, e, "alice", null, sent: false);
    }

    public async Task<IReadOnlyList<string>> JournalEventsAsync(string waveId)
    {
        var events = new List<string>();
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT event FROM journal WHERE wave = @w ORDER BY seq";
        cmd.Parameters.AddWithValue("@w", waveId);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) events.Add(r.GetString(0));
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
