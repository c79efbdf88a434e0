namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The workflow that began (just after its cutover-started) reverts a completed cutover: it moves the environment
/// back to the data centre, to what that cutover's snapshot recorded. The entry's actor asked for it.
/// </summary>
/// <param name="Reverts">The completed cutover's workflow instance.</param>
/// <param name="CutoverCompletedAt">When that cutover completed.</param>
/// <param name="Reason">The operator's reason.</param>
public sealed record RevertStartedPayload(string Reverts, DateTimeOffset? CutoverCompletedAt, string Reason)
    : IJournalPayload
{
    public const string Event = "revert-started";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
