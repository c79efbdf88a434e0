namespace CutoverEngine.Engine.Audit.Events;

/// <summary>An environment not ready for its window was taken out of the wave before it started, with the
/// reasons it was not ready.</summary>
public sealed record EnvironmentDroppedPayload(string Reason, IReadOnlyList<string> NotReady) : IJournalPayload
{
    public const string Event = "environment-dropped";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
