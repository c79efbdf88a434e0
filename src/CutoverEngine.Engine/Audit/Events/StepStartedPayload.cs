namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A step ran for the first time (durable waits that run it again do not start it again).</summary>
/// <param name="Kind">The step kind's wire name, as the definition names it.</param>
public sealed record StepStartedPayload(string Kind, double TimeoutSeconds) : IJournalPayload
{
    public const string Event = "step-started";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
