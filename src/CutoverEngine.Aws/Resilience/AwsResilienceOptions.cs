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
    public AwsRateLimitOptions Route53 { get; set; } =
        new()
        {
            PermitsPerSecond = AwsResilienceDefaults.Route53PermitsPerSecond,
            Burst = AwsResilienceDefaults.Route53Burst,
        };

    /// <summary>
    /// EC2 mutating calls (associate, disassociate, modify attribute) per account. AWS: burst 50, 5/s. Default: 4.75/s,
    /// burst 40, so that AWS's bucket keeps a cushion against network jitter instead of being drained to the last
    /// token.
    /// </summary>
    public AwsRateLimitOptions Ec2Mutating { get; set; } =
        new()
        {
            PermitsPerSecond = AwsResilienceDefaults.Ec2MutatingPermitsPerSecond,
            Burst = AwsResilienceDefaults.Ec2MutatingBurst,
        };

    /// <summary>EC2 Describe calls per account. AWS: burst 100, 20/s. Default: 19/s, burst 80 (a cushion, as
    /// above).</summary>
    public AwsRateLimitOptions Ec2Describe { get; set; } =
        new()
        {
            PermitsPerSecond = AwsResilienceDefaults.Ec2DescribePermitsPerSecond,
            Burst = AwsResilienceDefaults.Ec2DescribeBurst,
        };

    /// <summary>
    /// BYOIP advertise/withdraw per account. AWS: once per 10 s. Default: once per 10.5 s (0.095/s), burst 1, and a
    /// call
    /// budget of its own of 30 min: a wave queues dozens of ranges per account for this permit, and waiting in line for
    /// it is the quota working as designed, not a failing call (with the shared 2 min budget, the 13th range failed).
    /// </summary>
    public AwsRateLimitOptions Ec2Byoip { get; set; } =
        new()
        {
            PermitsPerSecond = AwsResilienceDefaults.Ec2ByoipPermitsPerSecond,
            Burst = AwsResilienceDefaults.Ec2ByoipBurst,
            CallBudget = AwsResilienceDefaults.Ec2ByoipCallBudget,
        };

    /// <summary>Retries of transient faults. Defaults in <see cref="AwsRetryOptions"/>.</summary>
    public AwsRetryOptions Retry { get; set; } = new();

    /// <summary>Longest one attempt (one HTTP exchange) may take before it is abandoned and retried. Default: 10
    /// s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = AwsResilienceDefaults.AttemptTimeout;

    /// <summary>
    /// Longest one call may take in all: waiting for rate-limit permits, every attempt and every backoff delay.
    /// Default: 2 min (a wave of 300 Route 53 calls in one account takes a minute at 5/s).
    /// </summary>
    public TimeSpan CallBudget { get; set; } = AwsResilienceDefaults.CallBudget;

    /// <summary>Circuit breaker per service endpoint. Defaults in <see cref="AwsCircuitBreakerOptions"/>.</summary>
    public AwsCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>The rate-limit options of one budget.</summary>
    public AwsRateLimitOptions For(AwsBudget budget) =>
        budget switch
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
        if (AttemptTimeout <= TimeSpan.Zero)
            yield return $"{where}:AttemptTimeout must be positive";
        if (CallBudget < AttemptTimeout)
            yield return $"{where}:CallBudget ({CallBudget}) must be at least AttemptTimeout ({AttemptTimeout})";
        foreach (var budget in Enum.GetValues<AwsBudget>())
            if (For(budget).CallBudget is { } own && own < AttemptTimeout)
                yield return $"{where}:{budget}:CallBudget ({own}) must be at least AttemptTimeout ({AttemptTimeout})";
    }

    /// <summary>The total time budget of one call drawing on <paramref name="budget"/>: its own, else <see
    /// cref="CallBudget"/>.</summary>
    public TimeSpan CallBudgetOf(AwsBudget budget) => For(budget).CallBudget ?? CallBudget;
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
