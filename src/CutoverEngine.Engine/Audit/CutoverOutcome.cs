namespace CutoverEngine.Engine.Audit;

/// <summary>How an environment's cutover ended (or where it stands), as the journal and the reports tell it.</summary>
public enum CutoverOutcome
{
    /// <summary>Downtime was recorded and no incident was raised.</summary>
    Completed,

    /// <summary>The rollback restored the old infrastructure and sending resumed on it.</summary>
    RolledBack,

    /// <summary>
    /// The rollback could not restore everything, nothing could start, or a step failed without an incident yet.
    /// </summary>
    Failed,

    /// <summary>
    /// Not finished: a rollback step could not restore, so sending stays paused until an operator retries it
    /// (<c>cutover retry</c>); see Cutovers.RollbackHold.
    /// </summary>
    RollbackStuck,

    /// <summary>Started, not yet finished (or the engine stopped before writing the end).</summary>
    InProgress,

    /// <summary>Only wave-level entries name the environment so far.</summary>
    NotStarted,
}
