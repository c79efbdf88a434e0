namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// An operator asked the engine to retry a stuck rollback (<c>cutover retry ENV</c>, <c>POST
/// /api/environments/{id}/retry</c>): the entry's actor is who, <paramref name="Reason"/> why. The engine that holds
/// the pause sees it at the held step's next look and runs that step again.
/// </summary>
/// <param name="Step">The rollback step retried (the one that failed).</param>
/// <param name="StuckSequence">The rollback-stuck entry this answers.</param>
public sealed record RollbackRetryRequestedPayload(string Step, string? Reason, long StuckSequence) : IJournalPayload
{
    public const string Event = "rollback-retry-requested";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
