using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using CutoverEngine.Aws.Configuration;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace CutoverEngine.Aws.Resilience;

/// <summary>Told of each retry the pipeline schedules: the failure and the delay before the next attempt.</summary>
internal interface IRetryObserver
{
    void RetryScheduled(Exception? failure, TimeSpan delay);
}
