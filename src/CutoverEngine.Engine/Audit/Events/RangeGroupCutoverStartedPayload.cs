namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A cutover began that moves a range group: one advertisement of <paramref name="Range"/> for all of
/// <paramref name="Environments"/> (the lead first), each paused, verified and resumed by it.</summary>
public sealed record RangeGroupCutoverStartedPayload(string Group, string Range, IReadOnlyList<string> Environments)
    : IJournalPayload
{
    public const string Event = "range-group-cutover-started";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
