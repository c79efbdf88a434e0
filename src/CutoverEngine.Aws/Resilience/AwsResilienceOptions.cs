namespace CutoverEngine.Aws.Resilience;

/// <summary>
/// Rate limits, retries, timeouts and circuit breakers for every AWS call. Each default is stated on its property
/// and collected in <see cref="AwsResilienceDefaults"/>.
/// </summary>
public sealed class AwsResilienceOptions
{
    /// <summary>
    /// Route 53: 5 requests per second per account over all calls (GetChange polls included). Default: 5/s, burst 2:
    /// evenly spaced at the quota, and a permit that a late timer wake-up (GC, busy CPU) delayed is made up at once
    /// instead of lost, so the achieved rate stays at the quota; AWS's (and the sandbox's) bucket holds 5.
    /// </summary>
    public AwsRateLimitOptions Route53 { get; set; } = new()
    {
        PermitsPerSecond = AwsResilienceDefaults.Route53PermitsPerSecond,
        Burst = AwsResilienceDefaults.Route53Burst,
    };

    /// <summary>
    /// EC2 mutating calls (associate, disassociate, modify attribute) per account. AWS: burst 50, 5/s. Default: 4.75/s,
    /// burst 40, so that AWS's bucket keeps a cushion against network jitter instead of being drained to the last token.
    /// </summary>
    public AwsRateLimitOptions Ec2Mutating { get; set; } = new()
    {
        PermitsPerSecond = AwsResilienceDefaults.Ec2MutatingPermitsPerSecond,
        Burst = AwsResilienceDefaults.Ec2MutatingBurst,
    };

    /// <summary>EC2 Describe calls per account. AWS: burst 100, 20/s. Default: 19/s, burst 80 (a cushion, as above).</summary>
    public AwsRateLimitOptions Ec2Describe { get; set; } = new()
    {
        PermitsPerSecond = AwsResilienceDefaults.Ec2DescribePermitsPerSecond,
        Burst = AwsResilienceDefaults.Ec2DescribeBurst,
    };

    /// <summary>
    /// BYOIP advertise/withdraw per account. AWS: once per 10 s. Default: once per 10.5 s (0.095/s), burst 1, and a call
    /// budget of its own of 30 min: a wave queues dozens of ranges per account for this permit, and waiting in line for
    /// it is the quota working as designed, not a failing call (with the shared 2 min budget, the 13th range failed).
    /// </summary>
    public AwsRateLimitOptions Ec2Byoip { get; set; } = new()
    {
        PermitsPerSecond = AwsResilienceDefaults.Ec2ByoipPermitsPerSecond,
        Burst = AwsResilienceDefaults.Ec2ByoipBurst,
        CallBudget = AwsResilienceDefaults.Ec2ByoipCallBudget,
    };

    /// <summary>Retries of transient faults. Defaults in <see cref="AwsRetryOptions"/>.</summary>
    public AwsRetryOptions Retry { get; set; } = new();

    /// <summary>Longest one attempt (one HTTP exchange) may take before it is abandoned and retried. Default: 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = AwsResilienceDefaults.AttemptTimeout;

    /// <summary>
    /// Longest one call may take in all: waiting for rate-limit permits, every attempt and every backoff delay.
    /// Default: 2 min (a wave of 300 Route 53 calls in one account takes a minute at 5/s).
    /// </summary>
    public TimeSpan CallBudget { get; set; } = AwsResilienceDefaults.CallBudget;

    /// <summary>Circuit breaker per service endpoint. Defaults in <see cref="AwsCircuitBreakerOptions"/>.</summary>
    public AwsCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>The rate-limit options of one budget.</summary>
    public AwsRateLimitOptions For(AwsBudget budget) => budget switch
    {
        AwsBudget.Route53 => Route53,
        AwsBudget.Ec2Mutating => Ec2Mutating,
        AwsBudget.Ec2Describe => Ec2Describe,
        AwsBudget.Ec2Byoip => Ec2Byoip,
        _ => throw new ArgumentOutOfRangeException(nameof(budget), budget, "Unknown AWS budget."),
    };

    internal IEnumerable<string> Validate(string where)
    {
        foreach (var budget in Enum.GetValues<AwsBudget>())
            foreach (var problem in For(budget).Validate($"{where}:{budget}"))
                yield return problem;
        foreach (var problem in Retry.Validate($"{where}:Retry"))
            yield return problem;
        foreach (var problem in CircuitBreaker.Validate($"{where}:CircuitBreaker"))
            yield return problem;
        if (AttemptTimeout <= TimeSpan.Zero) yield return $"{where}:AttemptTimeout must be positive";
        if (CallBudget < AttemptTimeout) yield return $"{where}:CallBudget ({CallBudget}) must be at least AttemptTimeout ({AttemptTimeout})";
        foreach (var budget in Enum.GetValues<AwsBudget>())
            if (For(budget).CallBudget is { } own && own < AttemptTimeout)
                yield return $"{where}:{budget}:CallBudget ({own}) must be at least AttemptTimeout ({AttemptTimeout})";
    }

    /// <summary>The total time budget of one call drawing on <paramref name="budget"/>: its own, else <see cref="CallBudget"/>.</summary>
    public TimeSpan CallBudgetOf(AwsBudget budget) => For(budget).CallBudget ?? CallBudget;
}

/// <summary>A token bucket that paces callers: when it is empty they wait in line for the next permit instead of failing.</summary>
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
        if (!(PermitsPerSecond > 0)) yield return $"{where}:PermitsPerSecond must be positive (was {PermitsPerSecond})";
        if (Burst < 1) yield return $"{where}:Burst must be at least 1 (was {Burst})";
        if (QueueLimit < 0) yield return $"{where}:QueueLimit must not be negative (was {QueueLimit})";
    }
}

/// <summary>Exponential backoff with jitter for transient faults (throttling, 5xx, timeouts, dropped connections).</summary>
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
        if (MaxRetryAttempts < 0) yield return $"{where}:MaxRetryAttempts must not be negative";
        if (BaseDelay < TimeSpan.Zero) yield return $"{where}:BaseDelay must not be negative";
        if (MaxDelay < BaseDelay) yield return $"{where}:MaxDelay must be at least BaseDelay";
    }
}

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
        if (!(FailureRatio > 0 && FailureRatio <= 1)) yield return $"{where}:FailureRatio must be in (0, 1]";
        if (MinimumThroughput < 2) yield return $"{where}:MinimumThroughput must be at least 2";
        if (SamplingDuration < TimeSpan.FromMilliseconds(500)) yield return $"{where}:SamplingDuration must be at least 500 ms";
        if (BreakDuration < TimeSpan.FromMilliseconds(500)) yield return $"{where}:BreakDuration must be at least 500 ms";
    }
}

/// <summary>The defaults of <see cref="AwsResilienceOptions"/>, in one place.</summary>
public static class AwsResilienceDefaults
{
    public const double Route53PermitsPerSecond = 5;
    public const int Route53Burst = 2;
    public const double Ec2MutatingPermitsPerSecond = 4.75;
    public const int Ec2MutatingBurst = 40;
    public const double Ec2DescribePermitsPerSecond = 19;
    public const int Ec2DescribeBurst = 80;
    public const double Ec2ByoipPermitsPerSecond = 0.095;
    public const int Ec2ByoipBurst = 1;
    public const int RateLimitQueueLimit = 100_000;
    public const int MaxRetryAttempts = 5;
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CallBudget = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Ec2ByoipCallBudget = TimeSpan.FromMinutes(30);
    public const double BreakerFailureRatio = 0.5;
    public const int BreakerMinimumThroughput = 20;
    public static readonly TimeSpan BreakerSamplingDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BreakerBreakDuration = TimeSpan.FromSeconds(15);
}

/// <summary>A quota AWS enforces per account; each gets its own rate limiter.</summary>
public enum AwsBudget
{
    /// <summary>All Route 53 API calls of an account.</summary>
    Route53,
    /// <summary>EC2 calls that change something (associate, disassociate, modify address attribute).</summary>
    Ec2Mutating,
    /// <summary>EC2 Describe calls.</summary>
    Ec2Describe,
    /// <summary>EC2 AdvertiseByoipCidr / WithdrawByoipCidr.</summary>
    Ec2Byoip,
}
