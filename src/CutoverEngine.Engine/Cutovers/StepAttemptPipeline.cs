using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// A step run's budget as a Polly pipeline built from its definition: the time left of the step's timeout around
/// the definition's attempts. A body that throws (an AWS call whose own retries are spent, a sending control that
/// does not answer) runs again after an exponential backoff: 0.5 s, 1 s, 2 s, ... at most 10 s. Each gateway call
/// inside an attempt retries on its own (Aws:Resilience:Retry), so the attempts here multiply those.
/// </summary>
public static class StepAttemptPipeline
{
    /// <summary>The wait before the second attempt; it doubles for each attempt after. Default 500 ms.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts. Default 10 s.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    // Polly's smallest timeout; a step with less left than this is failed by the frame before it runs.
    static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <param name="remaining">What is left of the step's timeout (it counts from the step's first start).</param>
    /// <param name="attemptFailed">Told of each failed attempt that is followed by another, before the backoff.</param>
    public static ResiliencePipeline For(
        StepDefinition step,
        TimeSpan remaining,
        TimeProvider clock,
        Func<StepAttemptFailedPayload, ValueTask> attemptFailed
    )
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock }.AddTimeout(
            new TimeoutStrategyOptions { Timeout = remaining > MinTimeout ? remaining : MinTimeout }
        );
        if (step.Attempts > 1)
            builder.AddRetry(
                new RetryStrategyOptions
                {
                    MaxRetryAttempts = step.Attempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = FirstBackoff,
                    MaxDelay = MaxBackoff,
                    UseJitter = false,
                    // Cancellation is the host stopping or the step's timeout: neither is helped by another attempt.
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                    OnRetry = args =>
                        attemptFailed(
                            new StepAttemptFailedPayload(
                                args.AttemptNumber + 1,
                                step.Attempts,
                                args.Outcome.Exception is { } e ? $"{e.GetType().Name}: {e.Message}" : "no exception",
                                args.RetryDelay.TotalMilliseconds
                            )
                        ),
                }
            );
        return builder.Build();
    }
}
