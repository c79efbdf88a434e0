namespace CutoverEngine.Engine.Hosting;

/// <summary>The engine's own settings (section "Engine"). Every default is the one stated.</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>SQLite file holding workflows, the journal and waves. Default ./data/cutover.db.</summary>
    public string DatabasePath { get; set; } = "./data/cutover.db";

    /// <summary>Directory of the versioned workflow definitions. Default: workflows/ found from the current or the
    /// program's directory.</summary>
    public string? WorkflowsDirectory { get; set; }

    /// <summary>
    /// How often WorkflowCore looks for due work it was not told about (e.g. after a restart). Default 2 s
    /// (WorkflowCore's own default is 10 s; sleeps shorter than this are woken precisely anyway).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a WorkflowCore dispatcher waits when all its <see cref="MaxConcurrentWorkflows"/> are busy. The
    /// in-memory
    /// queue is blocking, so an idle dispatcher takes the next step the moment it is queued; this only matters at the
    /// cap.
    /// Default 10 ms.
    /// </summary>
    public TimeSpan IdleTime { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Durability of every commit on the database file (workflow state and journal share commits). Default Full: each
    /// commit is fsynced before the step that wrote it proceeds, so it survives a power loss or an OS crash. Normal:
    /// commits survive a crash or kill of the engine process (WAL), but a power loss or OS crash may undo the last
    /// ones; the file stays consistent and the journal's chain intact (it ends earlier), and a step whose completion
    /// was
    /// undone runs again (steps are idempotent). Saves one fsync per commit. See README, Performance.
    /// </summary>
    public CutoverEngine.Engine.Persistence.SqliteSynchronousMode Synchronous { get; set; } =
        CutoverEngine.Engine.Persistence.SqliteSynchronousMode.Full;

    /// <summary>Workflows executed at once by this node (steps mostly wait on I/O). Default 64.</summary>
    public int MaxConcurrentWorkflows { get; set; } = 64;

    /// <summary>
    /// Floor of the process's thread pool (worker threads) set when the engine starts; never lowers a higher floor.
    /// Default 64, one per default concurrent workflow: SQLite I/O and WorkflowCore's dispatchers block pool threads,
    /// and above the default floor (the core count) the pool grows only ~2 threads a second, which paused customers
    /// would feel as step-to-step gaps. See README, Performance.
    /// </summary>
    public int MinWorkerThreads { get; set; } = 64;

    /// <summary>
    /// How long a starting engine waits for another engine's hold on the same database file (see
    /// <see cref="CutoverEngine.Engine.Persistence.EngineStoreLock"/>) to end before it refuses to start. Default 3 s:
    /// enough for a service manager's restart to outlast the old process's exit, short enough to fail at once for
    /// a second engine started by mistake.
    /// </summary>
    public TimeSpan StoreLockWait { get; set; } = TimeSpan.FromSeconds(3);
}
