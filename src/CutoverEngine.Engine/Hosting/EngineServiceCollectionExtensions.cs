using CutoverEngine.Aws;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Steps;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Sending;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Hosting;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The whole engine: WorkflowCore on SQLite, the cutover definitions and steps, the AWS gateways, sending
    /// control and verification, the journal. Configuration sections: Engine, Aws, Sending (see README).
    /// </summary>
    public static IServiceCollection AddCutoverEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.SectionName));
        var options = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EngineRun>();

        services.AddCutoverAws(configuration);
        services.AddCutoverSending(configuration);

        var catalog = DefinitionLoader.LoadDirectory(options.WorkflowsDirectory ?? DefinitionLoader.FindWorkflowsDirectory());
        services.AddSingleton(catalog);
        services.AddSingleton<ICutoverJournal>(sp => new SqliteJournal(options.DatabasePath, sp.GetRequiredService<TimeProvider>()));

        services.AddWorkflow(o =>
        {
            o.UseSqlite(s => { s.DatabasePath = options.DatabasePath; s.Synchronous = options.Synchronous; });
            o.UsePollInterval(options.PollInterval);
            o.UseIdleTime(options.IdleTime);
            o.UseMaxConcurrentWorkflows(options.MaxConcurrentWorkflows);
        });
        services.AddOptions<CutoverOptions>().Bind(configuration.GetSection(CutoverOptions.SectionName))
            .Validate(o => !o.Validate().Any(), "invalid Cutovers settings").ValidateOnStart();
        services.AddSingleton<CutoverEngine.Engine.Cutovers.Admission.ICutoverAdmission, CutoverEngine.Engine.Cutovers.Admission.AccountAdmission>();
        services.AddSingleton<PauseLeaseKeeper>();
        services.AddSingleton<AwsAttemptJournal>();
        services.AddSingleton<ICutoverVerifier, CutoverVerifier>();
        services.AddSingleton<CutoverStepServices>();
        foreach (var type in StepTypes.All) services.AddTransient(type);
        services.AddSingleton<CutoverLauncher>();
        services.AddSingleton<CutoverEngine.Engine.Planning.CutoverPlanner>();
        return services;
    }

    /// <summary>Registers the loaded definitions with WorkflowCore and starts its workers.</summary>
    public static async Task<WorkflowCore.Interface.IWorkflowHost> StartCutoverEngineAsync(this IServiceProvider provider, CancellationToken ct = default)
    {
        var registry = provider.GetRequiredService<WorkflowCore.Interface.IWorkflowRegistry>();
        provider.GetRequiredService<DefinitionCatalog>().RegisterAll(registry, StepTypes.For, typeof(CutoverData));
        var host = provider.GetRequiredService<WorkflowCore.Interface.IWorkflowHost>();
        await host.StartAsync(ct);
        return host;
    }
}

/// <summary>The body type for each step kind of a definition.</summary>
public static class StepTypes
{
    public static Type For(StepKind kind) => kind switch
    {
        StepKind.Preflight => typeof(Preflight),
        StepKind.AwaitAdmission => typeof(AwaitAdmission),
        StepKind.PauseSending => typeof(PauseSending),
        StepKind.SnapshotLiveState => typeof(SnapshotLiveState),
        StepKind.RepointIps => typeof(RepointIps),
        StepKind.RepointDns => typeof(RepointDns),
        StepKind.AwaitDnsInsync => typeof(AwaitDnsInsync),
        StepKind.SetReverseDns => typeof(SetReverseDns),
        StepKind.Verify => typeof(Verify),
        StepKind.ResumeSending => typeof(ResumeSending),
        StepKind.RecordDowntime => typeof(RecordDowntime),
        StepKind.RestoreDns => typeof(RestoreDns),
        StepKind.RestoreIps => typeof(RestoreIps),
        StepKind.RecordIncident => typeof(RecordIncident),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no step body for this kind"),
    };

    public static IReadOnlyList<Type> All => [.. Enum.GetValues<StepKind>().Select(For).Distinct()];
}
