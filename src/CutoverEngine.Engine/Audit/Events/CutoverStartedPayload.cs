using CutoverEngine.Engine.Cutovers;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A cutover began: the facts it moves, copied from the inventory.</summary>
public sealed record CutoverStartedPayload(CutoverSubject Subject) : IJournalPayload
{
    public const string Event = "cutover-started";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
