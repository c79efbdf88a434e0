using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// What the engine's WorkflowCore stores offer beyond WorkflowCore's own interfaces, in one contract that the SQLite
/// and the PostgreSQL providers both keep (and that the persistence contract tests hold them to).
/// </summary>
public interface IWorkflowStore : IPersistenceProvider, IWorkflowPurger
{
    /// <summary>Where the state lives, without credentials: the SQLite file's path, or the PostgreSQL database and
    /// server. Every error about a missing row names it.</summary>
    string StoreDescription { get; }

    /// <summary>Errors recorded for one workflow instance, oldest first.</summary>
    Task<IReadOnlyList<ExecutionError>> GetExecutionErrors(
        string workflowId,
        CancellationToken cancellationToken = default
    );
}
