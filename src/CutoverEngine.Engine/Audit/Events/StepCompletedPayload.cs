namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A step finished its work.</summary>
/// <param name="Output">What the step reports it did (its own shape per kind).</param>
/// <param name="Ms">The last run's own duration.</param>
/// <param name="ElapsedMs">From the step's first start, durable waits included.</param>
public sealed record StepCompletedPayload(string Summary, object? Output, double Ms, double ElapsedMs) : IJournalPayload
{
    public const string Event = "step-completed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
