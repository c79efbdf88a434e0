namespace CutoverEngine.Engine.Audit.Events;

/// <summary>Finalise looked at a completed cutover and changed nothing, because of <paramref name="Reason"/> (the
/// BYOIP range still announced from the data centre, a cutover in flight); it tries again later.</summary>
public sealed record FinaliseBlockedPayload(string Cutover, string Reason) : IJournalPayload
{
    public const string Event = "finalise-blocked";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
