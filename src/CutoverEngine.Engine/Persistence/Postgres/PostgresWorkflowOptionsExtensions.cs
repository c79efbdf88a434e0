using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence.Postgres;

/// <summary><c>services.AddWorkflow(o => o.UsePostgres(s => s.ConnectionString = ...))</c>.</summary>
public static class PostgresWorkflowOptionsExtensions
{
    /// <summary>
    /// Keeps WorkflowCore's state in PostgreSQL and takes its per-workflow locks there, so several nodes can share the
    /// database. Registers one <see cref="PostgresPersistenceProvider"/> singleton (WorkflowCore resolves persistence
    /// as transient, so the factory hands out the shared instance), also as <see cref="IWorkflowPurger"/>, and one
    /// <see cref="PostgresDistributedLockProvider"/>. The queue stays WorkflowCore's in-memory one: a node runs what
    /// its own poller finds, and the lock keeps the others off it.
    /// </summary>
    public static WorkflowOptions UsePostgres(this WorkflowOptions options, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configure);
        var storeOptions = new PostgresStoreOptions();
        configure(storeOptions);
        var validated = storeOptions.Validated(); // fail at registration, not at first use

        options.Services.AddSingleton(sp => new PostgresPersistenceProvider(
            validated,
            sp.GetService<ILoggerFactory>()?.CreateLogger<PostgresPersistenceProvider>(),
            sp.GetService<TimeProvider>()
        ));
        options.Services.AddSingleton<IWorkflowPurger>(sp => sp.GetRequiredService<PostgresPersistenceProvider>());
        options.Services.AddSingleton(sp => new PostgresDistributedLockProvider(
            validated,
            sp.GetService<ILoggerFactory>()?.CreateLogger<PostgresDistributedLockProvider>()
        ));
        options.UsePersistence(sp => sp.GetRequiredService<PostgresPersistenceProvider>());
        options.UseDistributedLockManager(sp => sp.GetRequiredService<PostgresDistributedLockProvider>());
        return options;
    }
}
