namespace CutoverEngine.Engine.Audit.Events;

/// <summary>One attempt at one AWS call, filed under the cutover and step that made it.</summary>
/// <param name="Outcome">
/// The attempt's <c>AwsAttemptOutcome</c> name: Succeeded, Retrying, Failed, AlreadyInPlace.
/// </param>
/// <param name="FaultClass">
/// What kind of failure it was, decided when the attempt was made (<c>AwsFaultClassifier</c>): throttle, transient or
/// permanent; null when it did not fail. Entries written before this field existed lack it.
/// </param>
public sealed record AwsAttemptPayload(
    Guid CallId,
    string Service,
    string Operation,
    string Account,
    int Attempt,
    string Outcome,
    int? HttpStatus,
    string? ErrorCode,
    string? ErrorMessage,
    string? RequestId,
    DateTimeOffset StartedAt,
    double LatencyMs,
    double? DelayBeforeNextMs,
    string? Note,
    string? FaultClass
) : IJournalPayload
{
    public const string Event = "aws-attempt";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
