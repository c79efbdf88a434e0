namespace CutoverEngine.Aws.Recording;

/// <summary>
/// One attempt at one AWS call, as the audit journal keeps it: what was asked, of which account, what AWS
/// answered (status, error code, request id), how long it took and how long the engine waited before trying again.
/// </summary>
public sealed record AwsAttempt
{
    /// <summary>Groups the attempts of one call.</summary>
    public required Guid CallId { get; init; }
    public required AwsService Service { get; init; }

    /// <summary>The API action, e.g. <c>ChangeResourceRecordSets</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The AWS account id the call acted in.</summary>
    public required string Account { get; init; }

    /// <summary>1 for the first attempt; 0 when no request was needed (<see
    /// cref="AwsAttemptOutcome.AlreadyInPlace"/>).</summary>
    public required int AttemptNumber { get; init; }
    public required AwsAttemptOutcome Outcome { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Time from sending the request to having the answer (excludes waiting for a rate-limit
    /// permit).</summary>
    public required TimeSpan Latency { get; init; }

    /// <summary>HTTP status of the answer; null when none came (dropped connection, timeout, no request
    /// sent).</summary>
    public int? HttpStatus { get; init; }

    /// <summary>AWS's error code, or the engine's fault name when AWS gave none (e.g.
    /// <c>ConnectionFailed</c>).</summary>
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }

    /// <summary>The AWS request id (x-amz-request-id / requestId), when the answer carried one.</summary>
    public string? RequestId { get; init; }

    /// <summary>The backoff before the next attempt; null when this was the last one.</summary>
    public TimeSpan? NextAttemptDelay { get; init; }

    /// <summary>What kind of failure the attempt met, decided where it was classified; null when it did not fail.
    /// </summary>
    public Resilience.AwsFaultClass? FaultClass { get; init; }

    /// <summary>Free text, e.g. why a change was a no-op.</summary>
    public string? Note { get; init; }

    /// <summary>The <see cref="AwsCallScope"/> labels in effect when the call was made (wave, environment,
    /// step...).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = AwsCallScope.Current;
}

public enum AwsAttemptOutcome
{
    /// <summary>AWS accepted the request.</summary>
    Succeeded,

    /// <summary>The attempt failed and another one follows after <see cref="AwsAttempt.NextAttemptDelay"/>.</summary>
    Retrying,

    /// <summary>The attempt failed and the call gave up.</summary>
    Failed,

    /// <summary>The desired state was already live: no change was sent.</summary>
    AlreadyInPlace,
}

/// <summary>Receives every attempt record. The audit journal implements it; keep implementations quick and
/// non-throwing.</summary>
public interface IAwsAttemptSink
{
    void Record(AwsAttempt attempt);
}
