namespace CutoverEngine.Engine.Audit.Events;

/// <summary>The cutover turned to its rollback path.</summary>
/// <param name="Step">The forward step that turned it.</param>
public sealed record RollbackStartedPayload(string Cause, string Step) : IJournalPayload
{
    public const string Event = "rollback-started";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
