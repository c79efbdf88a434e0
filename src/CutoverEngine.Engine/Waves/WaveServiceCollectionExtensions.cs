using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Finalisation;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Engine.Waves.Freezes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Waves;

public static class WaveServiceCollectionExtensions
{
    /// <summary>
    /// Waves on top of <see cref="EngineServiceCollectionExtensions.AddCutoverEngine"/>: store (engine database),
    /// scheduler (its wave-start workflow needs WorkflowCore: <see
    /// cref="EngineServiceCollectionExtensions.AddWorkflowStore"/>),
    /// runner and service for the given inventory. Sections: Waves:Notice, Waves:Schedule, Waves:Approval,
    /// Waves:Freezes.
    /// </summary>
    public static IServiceCollection AddCutoverWaves(
        this IServiceCollection services,
        IConfiguration configuration,
        Inventory inventory
    )
    {
        services.AddSingleton(inventory);
        services.AddSingleton(
            configuration.GetSection(NoticePolicyOptions.SectionName).Get<NoticePolicyOptions>()
                ?? new NoticePolicyOptions()
        );
        services.AddSingleton(
            configuration.GetSection(ScheduleOptions.SectionName).Get<ScheduleOptions>() ?? new ScheduleOptions()
        );
        services.AddSingleton(
            configuration.GetSection(ApprovalOptions.SectionName).Get<ApprovalOptions>() ?? new ApprovalOptions()
        );
        services.AddSingleton(
            configuration.GetSection(FreezeOptions.SectionName).Get<FreezeOptions>() ?? new FreezeOptions()
        );
        services.AddSingleton<FreezeCalendar>();
        services.AddSingleton<WaveFreezes>();
        services.AddSingleton<WaveAdmission>();
        services.AddSingleton(sp => new NoticePolicy(sp.GetRequiredService<NoticePolicyOptions>()));
        services.AddSingleton(sp => new WaveStore(sp.GetRequiredService<IOptions<EngineOptions>>().Value.DatabasePath));
        services.AddSingleton<WaveRunner>();
        services.AddSingleton<IWaveStarter>(sp => sp.GetRequiredService<WaveRunner>());
        services.AddSingleton(sp => new WaveScheduler(
            sp.GetRequiredService<WaveStore>(),
            sp.GetRequiredService<ICutoverJournal>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ScheduleOptions>(),
            sp.GetRequiredService<IWaveStarter>(),
            sp.GetRequiredService<IWorkflowController>(),
            sp.GetRequiredService<IPersistenceProvider>(),
            sp.GetRequiredService<ILogger<WaveScheduler>>(),
            sp.GetService<WavePreparation>(),
            sp.GetRequiredService<WaveAdmission>()
        ));
        // The durable trigger: registered with WorkflowCore at start-up, its steps resolved per run.
        services.AddSingleton<IEngineWorkflow, WaveStartWorkflow>();
        services.AddTransient<AwaitScheduledTime>();
        services.AddTransient<StartScheduledWave>();
        services.AddSingleton<WaveService>();
        services.AddSingleton(
            configuration.GetSection(NoticeSmtpOptions.SectionName).Get<NoticeSmtpOptions>() ?? new NoticeSmtpOptions()
        );
        services.AddSingleton<NoticeRelay>();
        // Notices state the definition's window budget; the engine registers the catalog, the CLI's wave commands not.
        services.TryAddSingleton(sp =>
            DefinitionLoader.LoadDirectory(
                sp.GetRequiredService<IOptions<EngineOptions>>().Value.WorkflowsDirectory
                    ?? DefinitionLoader.FindWorkflowsDirectory()
            )
        );
        services.AddSingleton<NoticeMail>();
        services.AddSingleton(
            configuration.GetSection(NoticeReminderOptions.SectionName).Get<NoticeReminderOptions>()
                ?? new NoticeReminderOptions()
        );
        services.AddSingleton<WaveReminders>();
        services.AddSingleton<IEngineWorkflow, WaveReminderWorkflow>();
        services.AddTransient<AwaitReminderTime>();
        services.AddTransient<SendWaveReminder>();
        services.AddSingleton<WaveNotices>();
        AddPreparation(services, configuration);
        AddFinalisation(services, configuration);
        return services;
    }

    /// <summary>
    /// Prepare (section Waves:Prepare): the store and the service every process needs to start, arm and gate it;
    /// the workflow's steps and what they use (AWS, DNS) are resolved only in the engine that runs them.
    /// </summary>
    static void AddPreparation(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(
            configuration.GetSection(PrepareOptions.SectionName).Get<PrepareOptions>() ?? new PrepareOptions()
        );
        services.AddSingleton(sp => new PrepareStore(
            sp.GetRequiredService<IOptions<EngineOptions>>().Value.DatabasePath
        ));
        services.AddSingleton<WavePreparation>();
        services.AddSingleton<EnvironmentPreparer>();
        services.AddSingleton<ReadinessChecks>();
        services.AddSingleton<PrepareRunner>();
        services.AddSingleton<IEngineWorkflow, PrepareWorkflow>();
        services.AddTransient<ScheduleEnvironmentPrepare>();
        services.AddTransient<AwaitPrepareTime>();
        services.AddTransient<PrepareEnvironment>();
        services.AddTransient<CheckEnvironmentReadiness>();
    }

    /// <summary>Finalise (section Waves:Finalise): the service, the automatic trigger and its workflow, and the
    /// route looking glass BYOIP confirmation reads.</summary>
    static void AddFinalisation(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(
            configuration.GetSection(FinaliseOptions.SectionName).Get<FinaliseOptions>() ?? new FinaliseOptions()
        );
        services.TryAddSingleton<IRouteOrigins, RipeStatRouteOrigins>();
        services.AddSingleton<EnvironmentFinaliser>();
        services.AddSingleton<WaveFinalisation>();
        services.AddSingleton<FinaliseTrigger>();
        services.AddSingleton<IEngineWorkflow, FinaliseWorkflow>();
        services.AddTransient<FinaliseWhenDue>();
    }
}
