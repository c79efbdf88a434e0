using CutoverEngine.Aws;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Webhooks;
using CutoverEngine.Sending;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Hosting;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The whole engine: WorkflowCore on SQLite, the cutover definitions and steps, the AWS gateways, sending
    /// control and verification, the journal. Configuration sections: Engine, Aws, Sending, Cutovers, Safety (see
    /// README).
    /// </summary>
    /// <param name="steps">The step kinds definitions may name; default the engine's own (<see
    /// cref="StepKindCatalog.Engine"/>).</param>
    public static IServiceCollection AddCutoverEngine(
        this IServiceCollection services,
        IConfiguration configuration,
        StepKindCatalog? steps = null
    )
    {
        steps ??= StepKindCatalog.Engine;
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.SectionName));
        var options = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EngineRun>();

        services.AddCutoverAws(configuration);
        services.AddCutoverSending(configuration);

        var catalog = DefinitionLoader.LoadDirectory(
            options.WorkflowsDirectory ?? DefinitionLoader.FindWorkflowsDirectory(),
            steps
        );
        services.AddSingleton(catalog);
        services.AddSingleton(steps);
        services.AddSingleton<ICutoverJournal>(sp => new SqliteJournal(
            options.DatabasePath,
            sp.GetRequiredService<TimeProvider>()
        ));

        services.AddWorkflowStore(options);
        services
            .AddOptions<CutoverOptions>()
            .Bind(configuration.GetSection(CutoverOptions.SectionName))
            .Validate(o => !o.Validate().Any(), "invalid Cutovers settings")
            .ValidateOnStart();
        services.AddSingleton<
            CutoverEngine.Engine.Cutovers.Admission.ICutoverAdmission,
            CutoverEngine.Engine.Cutovers.Admission.AccountAdmission
        >();
        services
            .AddOptions<Domain.Safety.SafetyOptions>()
            .Bind(configuration.GetSection(Domain.Safety.SafetyOptions.SectionName));
        // The pause claims live beside the workflows that own them: a second engine on a shared store counts them too.
        services.TryAddSingleton<Cutovers.Safety.IPauseClaims>(sp => new Cutovers.Safety.PauseClaimStore(
            options.DatabasePath,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Domain.Safety.SafetyOptions>>()
        ));
        services.AddSingleton<Cutovers.Safety.PauseSlots>();
        services.AddSingleton<PauseLeaseKeeper>();
        services.AddSingleton<RollbackStateReader>();
        services.AddSingleton<RollbackHold>();
        services.AddSingleton<RollbackRetry>();
        services.AddSingleton<Cutovers.OtherFunctions.OtherFunctionProbe>();
        services.AddSingleton<Cutovers.OtherFunctions.OtherFunctionWatch>();
        services.AddSingleton<Cutovers.BlastRadius.BlastRadiusCheck>();
        services.AddSingleton<LeaseLapseJournal>();
        services.AddSingleton<IAccountIdentityCheck, AccountIdentityCheck>();
        services.AddSingleton<AwsAttemptJournal>();
        services.AddSingleton<ICutoverVerifier, CutoverVerifier>();
        services.AddSingleton<StepFrameServices>();
        // WorkflowCore builds step bodies through DI, one per step run.
        foreach (var kind in steps.All)
            services.AddTransient(kind.BodyType);
        services.AddSingleton<CutoverLauncher>();
        services.AddSingleton<Reverts.RevertLauncher>();
        services.TryAddSingleton(_ => new Finalisation.FinaliseStore(options.DatabasePath));
        services.AddSingleton<CutoverEngine.Engine.Planning.CutoverPlanner>();
        services.AddCutoverWebhooks(configuration);
        return services;
    }

    /// <summary>
    /// WorkflowCore on the engine's SQLite file, with its clock (<see cref="IDateTimeProvider"/>) read from the
    /// registered <see cref="TimeProvider"/> (default the system clock). Used by the engine and by commands that only
    /// write workflows into the store for a running host to pick up (`cutover wave schedule`).
    /// </summary>
    public static IServiceCollection AddWorkflowStore(this IServiceCollection services, EngineOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        // Registered here, taken only by StartCutoverEngineAsync: commands that only write through the store stay free.
        services.TryAddSingleton(sp => new EngineStoreLock(
            options.DatabasePath,
            (sp.GetService<EngineRun>() ?? new EngineRun()).Id,
            sp.GetRequiredService<TimeProvider>(),
            options.StoreLockWait
        ));
        services.AddWorkflow(o =>
        {
            o.UseSqlite(s =>
            {
                s.DatabasePath = options.DatabasePath;
                s.Synchronous = options.Synchronous;
            });
            o.UsePollInterval(options.PollInterval);
            o.UseIdleTime(options.IdleTime);
            o.UseMaxConcurrentWorkflows(options.MaxConcurrentWorkflows);
        });
        services.Replace(
            ServiceDescriptor.Singleton<IDateTimeProvider>(sp => new TimeProviderDateTime(
                sp.GetRequiredService<TimeProvider>()
            ))
        );
        return services;
    }

    /// <summary>
    /// Registers with WorkflowCore the loaded cutover definitions (when the engine is configured) and every
    /// <see cref="IEngineWorkflow"/> (e.g. wave-start). Needed before starting the host, and before starting a
    /// workflow from a process that does not run one.
    /// </summary>
    public static IWorkflowRegistry RegisterEngineWorkflows(this IServiceProvider provider)
    {
        var registry = provider.GetRequiredService<IWorkflowRegistry>();
        var steps = provider.GetService<StepKindCatalog>() ?? StepKindCatalog.Engine;
        provider
            .GetService<DefinitionCatalog>()
            ?.RegisterAll(registry, kind => steps.Get(kind).BodyType, typeof(CutoverData));
        foreach (var workflow in provider.GetServices<IEngineWorkflow>())
            workflow.Register(registry);
        return registry;
    }

    /// <summary>
    /// Takes the store's one-engine hold (<see cref="EngineStoreHeldException"/> when another engine has it, before
    /// anything in the store changed), registers the definitions with WorkflowCore and starts its workers. The hold
    /// ends when the provider is disposed.
    /// </summary>
    public static async Task<IWorkflowHost> StartCutoverEngineAsync(
        this IServiceProvider provider,
        CancellationToken ct = default
    )
    {
        await provider.GetRequiredService<EngineStoreLock>().AcquireAsync(ct);
        provider.RegisterEngineWorkflows();
        RaiseThreadPoolFloor(
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EngineOptions>>().Value.MinWorkerThreads
        );
        // Resolved before any worker starts, so unusable Webhooks settings refuse the start with nothing run.
        var webhooks = provider.GetService<WebhookDispatcher>();
        // Likewise unusable Safety settings (each problem naming its setting).
        provider.GetService<Cutovers.Safety.IPauseClaims>();
        var host = provider.GetRequiredService<IWorkflowHost>();
        await host.StartAsync(ct);
        provider.GetService<EngineRun>()?.MarkWorkersStarted();
        // Delivers from the journal in the background; stopped (after draining) when the provider is disposed.
        webhooks?.Start();
        return host;
    }

    /// <summary>
    /// Raises the thread pool's floor to <paramref name="minWorkers"/> worker threads (never lowers it).
    /// Microsoft.Data.Sqlite
    /// does its I/O synchronously on the calling pool thread and WorkflowCore's dispatchers block while they wait for
    /// work, so a wave of many cutovers holds more pool threads than a small machine's default floor (= cores). Beyond
    /// the floor the pool adds threads slowly (hill climbing, ~2 per second), and every step hand-over waits in that
    /// queue while customers are paused.
    /// </summary>
    public static void RaiseThreadPoolFloor(int minWorkers)
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (minWorkers > workers)
            ThreadPool.SetMinThreads(minWorkers, io);
    }
}
