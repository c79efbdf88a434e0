namespace CutoverEngine.Aws.Resilience;

/// <summary>A token bucket that paces callers: when it is empty they wait in line for the next permit instead of
/// failing.</summary>
public sealed class AwsRateLimitOptions
{
    /// <summary>Sustained requests per second the bucket refills at. Required, positive.</summary>
    public double PermitsPerSecond { get; set; }

    /// <summary>Requests that may go at once after a quiet period (bucket size). Required, at least 1.</summary>
    public int Burst { get; set; } = 1;

    /// <summary>Callers that may wait for a permit before further callers are turned away. Default: 100,000.</summary>
    public int QueueLimit { get; set; } = AwsResilienceDefaults.RateLimitQueueLimit;

    /// <summary>
    /// Total time budget of one call on this quota (permit wait, attempts, backoffs), when it differs from
    /// <see cref="AwsResilienceOptions.CallBudget"/>. Default: none (the shared budget), except Ec2Byoip: 30 min.
    /// </summary>
    public TimeSpan? CallBudget { get; set; }

    internal IEnumerable<string> Validate(string where)
    {
        if (!(PermitsPerSecond > 0))
            yield return $"{where}:PermitsPerSecond must be positive (was {PermitsPerSecond})";
        if (Burst < 1)
            yield return $"{where}:Burst must be at least 1 (was {Burst})";
        if (QueueLimit < 0)
            yield return $"{where}:QueueLimit must not be negative (was {QueueLimit})";
    }
}
