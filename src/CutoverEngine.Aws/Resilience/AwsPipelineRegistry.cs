using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using CutoverEngine.Aws.Configuration;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CutoverEngine.Aws.Resilience;

/// <summary>
/// The Polly pipelines AWS calls run through, one per (account, budget) so that every caller acting in an account
/// shares that account's rate limiter, and one circuit breaker per service endpoint shared by all accounts using it.
/// From outside in: call budget (total timeout), retry with exponential backoff and jitter, endpoint circuit breaker,
/// account rate limiter (pacing: callers queue for a permit), attempt timeout. The limiter sits inside the retry
/// because AWS counts every attempt against the quota; the attempt timeout sits inside the limiter so that waiting
/// for a permit does not eat an attempt's time.
/// </summary>
public sealed class AwsPipelineRegistry : IDisposable
{
    private readonly AwsOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Account, AwsBudget Budget), Lazy<Entry>> _pipelines = new();
    private readonly ConcurrentDictionary<(AwsService Service, string Endpoint), Lazy<ResiliencePipeline>> _breakers =
        new();

    public AwsPipelineRegistry(IOptions<AwsOptions> options, TimeProvider? time = null)
    {
        _options = options.Value;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where the call runner leaves its observer of scheduled retries (it records each failed attempt from
    /// there).</summary>
    internal static readonly ResiliencePropertyKey<IRetryObserver> RetryObserverKey = new(
        "CutoverEngine.Aws.RetryObserver"
    );

    /// <summary>The total time budget of one call on <paramref name="budget"/> (<see
    /// cref="AwsResilienceOptions.CallBudgetOf"/>).</summary>
    public TimeSpan CallBudgetOf(AwsBudget budget) => _options.Resilience.CallBudgetOf(budget);

    /// <summary>The pipeline for <paramref name="operation"/> in <paramref name="account"/>.</summary>
    public ResiliencePipeline Get(AwsOperation operation, string account)
    {
        var accountOptions = _options.GetAccount(account);
        var entry = _pipelines
            .GetOrAdd(
                (account, operation.Budget),
                key => new Lazy<Entry>(() => Build(operation.Service, key.Budget, accountOptions))
            )
            .Value;
        return entry.Pipeline;
    }

    /// <summary>
    /// How long a call on <paramref name="budget"/> in <paramref name="account"/> made now by a paused customer would
    /// wait
    /// for its rate-limit permit (<see cref="PacingRateLimiter.UrgentWait"/>); zero for a quota not used yet.
    /// </summary>
    public TimeSpan UrgentPermitWait(string account, AwsBudget budget) =>
        _pipelines.TryGetValue((account, budget), out var entry)
        && entry.IsValueCreated
        && entry.Value.Limiter is PacingRateLimiter pacing
            ? pacing.UrgentWait
            : TimeSpan.Zero;

    /// <summary>The endpoint a service is reached at for an account; the circuit breaker is per endpoint.</summary>
    public string EndpointOf(AwsService service, AwsAccountOptions account) =>
        service switch
        {
            AwsService.Route53 => _options.Route53Endpoint.ToString(),
            AwsService.Ec2 => _options.Ec2EndpointOverride ?? $"https://ec2.{account.Region}.amazonaws.com",
            _ => throw new ArgumentOutOfRangeException(nameof(service)),
        };

    private Entry Build(AwsService service, AwsBudget budget, AwsAccountOptions account)
    {
        var r = _options.Resilience;
        var rate = r.For(budget);
        var limiter = new PacingRateLimiter(rate.PermitsPerSecond, rate.Burst, rate.QueueLimit, _time);
        var breaker = _breakers
            .GetOrAdd(
                (service, EndpointOf(service, account)),
                _ => new Lazy<ResiliencePipeline>(() => BuildBreaker(r.CircuitBreaker))
            )
            .Value;

        var builder = new ResiliencePipelineBuilder
        {
            TimeProvider = _time,
            Name = $"aws-{service}-{budget}-{account.Id}",
        }.AddTimeout(new TimeoutStrategyOptions { Timeout = r.CallBudgetOf(budget), Name = "call-budget" });
        if (r.Retry.MaxRetryAttempts > 0)
            builder.AddRetry(
                new RetryStrategyOptions
                {
                    Name = "retry",
                    MaxRetryAttempts = r.Retry.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = r.Retry.BaseDelay,
                    MaxDelay = r.Retry.MaxDelay,
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is { } e
                                && !args.Context.CancellationToken.IsCancellationRequested
                                && AwsFaultClassifier.IsRetryable(e)
                        ),
                    OnRetry = args =>
                    {
                        if (args.Context.Properties.TryGetValue(RetryObserverKey, out var observer))
                            observer.RetryScheduled(args.Outcome.Exception, args.RetryDelay);
                        return default;
                    },
                }
            );
        var pipeline = builder
            .AddPipeline(breaker)
            .AddRateLimiter(limiter)
            .AddTimeout(new TimeoutStrategyOptions { Timeout = r.AttemptTimeout, Name = "attempt-timeout" })
            .Build();
        return new Entry(pipeline, limiter);
    }

    private ResiliencePipeline BuildBreaker(AwsCircuitBreakerOptions b) =>
        new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddCircuitBreaker(
                new CircuitBreakerStrategyOptions
                {
                    FailureRatio = b.FailureRatio,
                    MinimumThroughput = b.MinimumThroughput,
                    SamplingDuration = b.SamplingDuration,
                    BreakDuration = b.BreakDuration,
                    ShouldHandle = args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is { } e && AwsFaultClassifier.CountsAgainstEndpoint(e)
                        ),
                }
            )
            .Build();

    public void Dispose()
    {
        foreach (var entry in _pipelines.Values.Where(l => l.IsValueCreated))
            entry.Value.Limiter.Dispose();
    }

    private sealed record Entry(ResiliencePipeline Pipeline, RateLimiter Limiter);
}
