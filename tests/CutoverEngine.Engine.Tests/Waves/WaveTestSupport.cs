using System.Net;
using System.Reflection;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Engine.Waves.Freezes;
using CutoverEngine.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>Records the waves the scheduler started (instead of running cutovers).</summary>
internal sealed class RecordingStarter : IWaveStarter
{
    readonly List<(string WaveId, string Actor)> _started = [];

    public IReadOnlyList<(string WaveId, string Actor)> Started
    {
        get
        {
            lock (_started)
                return [.. _started];
        }
    }

    public Task StartClaimedAsync(Wave wave, string actor, CancellationToken ct = default)
    {
        lock (_started)
            _started.Add((wave.Id, actor));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Watches WorkflowCore's runnable poller through its store: a poll cycle asks for runnable instances as of its
/// clock, then processes the scheduled commands due. <see cref="CompletedThrough"/> is the fake instant that the
/// last complete cycle looked at, so a test can wait for "the poller has seen time T" instead of sleeping.
/// </summary>
public class PollObserver : DispatchProxy
{
    IPersistenceProvider _inner = null!;
    long _runnableAsOf = long.MinValue;
    long _completedThrough = long.MinValue;

    public static IPersistenceProvider Wrap(IPersistenceProvider inner, out PollObserver observer)
    {
        var proxy = Create<IPersistenceProvider, PollObserver>();
        observer = (PollObserver)(object)proxy;
        observer._inner = inner;
        return proxy;
    }

    public DateTimeOffset CompletedThrough => new(Math.Max(Interlocked.Read(ref _completedThrough), 0), TimeSpan.Zero);

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        object? result;
        try
        {
            result = method!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        if (method.Name == nameof(IPersistenceProvider.GetRunnableInstances))
            Interlocked.Exchange(ref _runnableAsOf, ((DateTime)args![0]!).ToUniversalTime().Ticks);
        else if (method.Name == nameof(IPersistenceProvider.ProcessCommands))
            return Observe((Task)result!, ((DateTimeOffset)args![0]!).UtcTicks);
        return result;
    }

    async Task Observe(Task processing, long asOf)
    {
        var runnable = Interlocked.Read(ref _runnableAsOf);
        await processing;
        var through = Math.Min(runnable, asOf);
        long seen;
        while (
            (seen = Interlocked.Read(ref _completedThrough)) < through
            && Interlocked.CompareExchange(ref _completedThrough, through, seen) != seen
        ) { }
    }
}

/// <summary>
/// A wave store, journal, service and a real WorkflowCore host (the durable wave-start triggers) on a temp SQLite
/// file and a fake clock. <see cref="StopAsync"/> and <see cref="StartAsync"/> are a host restart on the same file.
/// </summary>
internal sealed class WaveWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(
        Environment.GetEnvironmentVariable("KEEP_WAVE_DB") is null ? 60 : 10
    );

    ServiceProvider? _provider;
    IWorkflowHost? _host;
    readonly PrepareOptions? _prepare;
    readonly string? _freezeCalendar;

    /// <param name="environments">The inventory's environments; default acme-dev, acme-stg, acme-prod and
    /// solo-prod.</param>
    /// <param name="approvals">Waves:Approval; default none needed, so that tests of the schedule and the policy need
    /// not approve (<see cref="WaveApprovalTests"/> passes the engine's defaults).</param>
    /// <param name="prepare">Waves:Prepare; default the engine's (production is prepared before it starts).</param>
    /// <param name="freezeCalendar">Waves:Freezes:File; default none (no freezes).</param>
    public WaveWorld(
        IReadOnlyList<CutoverEnvironment>? environments = null,
        ApprovalOptions? approvals = null,
        PrepareOptions? prepare = null,
        string? freezeCalendar = null
    )
    {
        _prepare = prepare;
        _freezeCalendar = freezeCalendar;
        Approvals = approvals ?? new ApprovalOptions { Production = 0, Staging = 0 };
        Directory = Path.Combine(Path.GetTempPath(), "cutover-wave-tests", Guid.NewGuid().ToString("N"));
        DatabasePath = Path.Combine(Directory, "cutover.db");
        Clock = new FakeTimeProvider(T0);
        Store = new WaveStore(DatabasePath);
        Journal = new SqliteJournal(DatabasePath, Clock);
        Inventory = new Inventory(
            1,
            [Account],
            environments
                ??
                [
                    Env("acme-dev", "acme", Tier.Development),
                    Env("acme-stg", "acme", Tier.Staging),
                    Env("acme-prod", "acme", Tier.Production),
                    Env("solo-prod", "solo", Tier.Production),
                ]
        );
        StartAsync().GetAwaiter().GetResult();
    }

    static readonly AwsAccount Account = new("111111111111", "main", "eu-west-1", null);

    /// <summary>An environment whose one contact is ops@ID.example.test (none when <paramref name="contacts"/> is
    /// empty).</summary>
    public static CutoverEnvironment Env(
        string id,
        string customer,
        Tier tier,
        TimeSpan? windowBudget = null,
        IReadOnlyList<NoticeContact>? contacts = null
    ) =>
        new(
            id,
            customer,
            tier,
            Offering.V8,
            Account,
            "eu-west-1",
            new HostedZoneRef("Z1", "example.test"),
            "example.test",
            new Uri("http://127.0.0.1:1/"),
            IpStrategy.ElasticIp,
            null,
            windowBudget,
            [
                new MtaHost(
                    $"mta.{id}.example.test",
                    IPAddress.Parse("192.0.2.1"),
                    new MtaTarget("i-1", "eipalloc-1", IPAddress.Parse("198.51.100.1"), "mta")
                ),
            ],
            null
        )
        {
            Contacts = contacts ?? [new NoticeContact($"ops@{id}.example.test", null)],
        };

    public string Directory { get; }
    public string DatabasePath { get; }
    public FakeTimeProvider Clock { get; }
    public WaveStore Store { get; }
    public SqliteJournal Journal { get; }
    public Inventory Inventory { get; }
    public ScheduleOptions Options { get; } = new();
    public ApprovalOptions Approvals { get; }
    public RecordingStarter Starter { get; private set; } = null!;
    public WaveScheduler Scheduler { get; private set; } = null!;
    public WaveService Service { get; private set; } = null!;
    public PollObserver Poller { get; private set; } = null!;
    public IServiceProvider Provider => _provider ?? throw new InvalidOperationException("host stopped");

    /// <summary>
    /// The wave services as the engine registers them, on this world's file and clock. Without a started host it
    /// is another process that only writes to the store (the CLI).
    /// </summary>
    public ServiceProvider Services(RecordingStarter starter, out PollObserver observer)
    {
        var engine = new EngineOptions { DatabasePath = DatabasePath, PollInterval = TimeSpan.FromMilliseconds(50) };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(engine));
        services.AddWorkflowStore(engine);
        PollObserver? created = null;
        services.Replace(
            ServiceDescriptor.Singleton<IPersistenceProvider>(sp =>
                Wrap(sp.GetRequiredService<SqlitePersistenceProvider>(), out created)
            )
        );
        services.AddSingleton<ICutoverJournal>(Journal);
        services.AddCutoverWaves(new ConfigurationBuilder().Build(), Inventory);
        services.AddSingleton(Options);
        services.AddSingleton(Approvals);
        if (_prepare is not null)
            services.AddSingleton(_prepare);
        if (_freezeCalendar is not null)
            services.AddSingleton(new FreezeOptions { File = _freezeCalendar });
        services.AddSingleton<IWaveStarter>(starter);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IPersistenceProvider>();
        observer = created!;
        return provider;

        static IPersistenceProvider Wrap(IPersistenceProvider inner, out PollObserver? o)
        {
            var proxy = PollObserver.Wrap(inner, out var observer);
            o = observer;
            return proxy;
        }
    }

    /// <summary>A host start: WorkflowCore's workers on the file, then the start-up check of every scheduled wave's
    /// trigger.</summary>
    public async Task<IReadOnlyList<(string WaveId, DateTimeOffset At)>> StartAsync()
    {
        Starter = new RecordingStarter();
        _provider = Services(Starter, out var observer);
        Poller = observer;
        _host = await _provider.StartCutoverEngineAsync();
        Scheduler = _provider.GetRequiredService<WaveScheduler>();
        Service = _provider.GetRequiredService<WaveService>();
        return await Scheduler.EnsureArmedAsync();
    }

    /// <summary>A host stop: WorkflowCore's workers end; the sleeping triggers stay in the file.</summary>
    public async Task StopAsync()
    {
        if (_host is not null)
            await _host.StopAsync(CancellationToken.None);
        if (_provider is not null)
            await _provider.DisposeAsync();
        _host = null;
        _provider = null;
    }

    /// <summary>Waits until WorkflowCore's poller has completed a cycle that looked at the clock's present time (or
    /// later).</summary>
    public Task PolledNowAsync()
    {
        var now = Clock.GetUtcNow();
        return Eventually.UntilAsync(
            () => Poller.CompletedThrough,
            through => through >= now,
            Deadline,
            $"a poll cycle at {now:O}"
        );
    }

    /// <summary>Triggers as a failure message shows them.</summary>
    public static string Describe(IReadOnlyList<WaveTrigger> triggers) =>
        triggers.Count == 0
            ? "no trigger"
            : string.Join("; ", triggers.Select(t => $"{t.WaveId} wakes at {t.WakesAt:O}"));

    public Task StartedAsync(int count) =>
        Eventually.UntilAsync(() => Starter.Started.Count, n => n >= count, Deadline, $"{count} wave start(s)");

    /// <summary>Notifies every environment's customer now.</summary>
    public async Task NotifyAllAsync(string waveId)
    {
        foreach (var e in Inventory.Environments)
            await Service.RecordNoticeAsync(waveId, e, "alice", null, sent: false);
    }

    public async Task<WorkflowStatus> TriggerStatusAsync(string instanceId)
    {
        var sp = _provider ?? throw new InvalidOperationException("host stopped");
        return (await sp.GetRequiredService<IPersistenceProvider>().GetWorkflowInstance(instanceId)).Status;
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
        while (await r.ReadAsync())
            events.Add(r.GetString(0));
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("KEEP_WAVE_DB") is null)
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException) { }
    }
}
