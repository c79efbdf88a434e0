namespace CutoverEngine.Aws.Resilience;

/// <summary>Exponential backoff with jitter for transient faults (throttling, 5xx, timeouts, dropped
/// connections).</summary>
public sealed class AwsRetryOptions
{
    /// <summary>Retries after the first attempt; 0 disables retries. Default: 5 (6 attempts in all).</summary>
    public int MaxRetryAttempts { get; set; } = AwsResilienceDefaults.MaxRetryAttempts;

    /// <summary>Median delay before the first retry; it doubles per retry, with jitter. Default: 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = AwsResilienceDefaults.RetryBaseDelay;

    /// <summary>Cap on a single backoff delay. Default: 10 s.</summary>
    public TimeSpan MaxDelay { get; set; } = AwsResilienceDefaults.RetryMaxDelay;

    internal IEnumerable<string> Validate(string where)
    {
        if (MaxRetryAttempts < 0)
            yield return $"{where}:MaxRetryAttempts must not be negative";
        if (BaseDelay < TimeSpan.Zero)
            yield return $"{where}:BaseDelay must not be negative";
        if (MaxDelay < BaseDelay)
            yield return $"{where}:MaxDelay must be at least BaseDelay";
    }
}
