namespace CutoverEngine.Engine.Audit.Events;

/// <summary>One round of verification checks.</summary>
public sealed record ChecksPayload(int Round, IReadOnlyList<CheckPayload> Results) : IJournalPayload
{
    public const string Event = "checks";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
