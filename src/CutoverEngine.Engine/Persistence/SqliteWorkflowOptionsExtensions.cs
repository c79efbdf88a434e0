using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence;

/// <summary><c>services.AddWorkflow(o => o.UseSqlite("./data/cutover.db"))</c>.</summary>
public static class SqliteWorkflowOptionsExtensions
{
    /// <summary>Keeps workflows, events, subscriptions, timers and errors in the SQLite file at <paramref
    /// name="databasePath"/>.</summary>
    public static WorkflowOptions UseSqlite(this WorkflowOptions options, string databasePath) =>
        options.UseSqlite(o => o.DatabasePath = databasePath);

    /// <summary>
    /// Keeps WorkflowCore's state in SQLite with the given settings. Registers one
    /// <see cref="SqlitePersistenceProvider"/> singleton, as WorkflowCore's persistence (which WorkflowCore resolves
    /// as transient, so the factory must hand out the shared instance) and as its <see cref="IWorkflowPurger"/>.
    /// Locks and queues stay WorkflowCore's in-memory ones: correct for one process per database file.
    /// </summary>
    public static WorkflowOptions UseSqlite(this WorkflowOptions options, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storeOptions = new SqliteStoreOptions();
        configure?.Invoke(storeOptions);
        var validated = storeOptions.Validated(); // fail at registration, not at first use

        options.Services.AddSingleton(sp => new SqlitePersistenceProvider(
            validated,
            sp.GetService<ILoggerFactory>()?.CreateLogger<SqlitePersistenceProvider>(),
            sp.GetService<TimeProvider>()
        ));
        options.Services.AddSingleton<IWorkflowPurger>(sp => sp.GetRequiredService<SqlitePersistenceProvider>());
        options.UsePersistence(sp => sp.GetRequiredService<SqlitePersistenceProvider>());
        return options;
    }
}
