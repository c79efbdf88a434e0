namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A step failed for good: its attempts, its timeout or its own check said so.</summary>
public sealed record StepFailedPayload(string Cause, object? Output) : IJournalPayload
{
    public const string Event = "step-failed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
