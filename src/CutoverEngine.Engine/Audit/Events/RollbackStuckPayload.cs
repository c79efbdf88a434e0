namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// A rollback step could not restore what it restores, so sending stays paused and the rollback waits for an
/// operator (<c>cutover retry ENV</c>); written again, with <paramref name="BudgetSpent"/>, when the window budget
/// ends while it waits. <paramref name="LeftBehind"/> is read back from AWS when the step gave up, not assumed.
/// </summary>
/// <param name="Step">The rollback step that failed and holds the pause.</param>
/// <param name="Holding">True while sending stays paused; false when the budget ended and the state read back was
/// safe to resume on (<see cref="Cutovers.RollbackHold"/>), so the rollback carried on.</param>
/// <param name="Decision">What the engine does now and why, in words for the person paged.</param>
public sealed record RollbackStuckPayload(
    string Step,
    string Cause,
    bool Holding,
    string Decision,
    DateTimeOffset? PausedAt,
    DateTimeOffset? BudgetEndsAt,
    bool BudgetSpent,
    RollbackLeftBehind LeftBehind
) : IJournalPayload
{
    public const string Event = "rollback-stuck";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
