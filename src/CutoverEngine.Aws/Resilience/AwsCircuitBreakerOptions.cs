namespace CutoverEngine.Aws.Resilience;

/// <summary>
/// Stops calling an endpoint that keeps failing (5xx, timeouts, dropped connections; throttling and client errors
/// do not count), so a wave fails fast instead of piling retries onto a sick endpoint.
/// </summary>
public sealed class AwsCircuitBreakerOptions
{
    /// <summary>Share of failed attempts in the sampling window that opens the circuit. Default: 0.5.</summary>
    public double FailureRatio { get; set; } = AwsResilienceDefaults.BreakerFailureRatio;

    /// <summary>Attempts the window must hold before the ratio counts. Default: 20.</summary>
    public int MinimumThroughput { get; set; } = AwsResilienceDefaults.BreakerMinimumThroughput;

    /// <summary>Window the failure ratio is measured over. Default: 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = AwsResilienceDefaults.BreakerSamplingDuration;

    /// <summary>How long an open circuit rejects calls before one trial call is let through. Default: 15 s.</summary>
    public TimeSpan BreakDuration { get; set; } = AwsResilienceDefaults.BreakerBreakDuration;

    internal IEnumerable<string> Validate(string where)
    {
        if (!(FailureRatio > 0 && FailureRatio <= 1))
            yield return $"{where}:FailureRatio must be in (0, 1]";
        if (MinimumThroughput < 2)
            yield return $"{where}:MinimumThroughput must be at least 2";
        if (SamplingDuration < TimeSpan.FromMilliseconds(500))
            yield return $"{where}:SamplingDuration must be at least 500 ms";
        if (BreakDuration < TimeSpan.FromMilliseconds(500))
            yield return $"{where}:BreakDuration must be at least 500 ms";
    }
}
