namespace CutoverEngine.Engine.Audit.Events;

/// <summary>One attempt of a step's body threw; another follows after <paramref name="RetryInMs"/>.</summary>
/// <param name="Of">The attempts the definition allows the step.</param>
public sealed record StepAttemptFailedPayload(int Attempt, int Of, string Error, double RetryInMs) : IJournalPayload
{
    public const string Event = "step-attempt-failed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
