using System.Collections.Immutable;
using Serilog;
using Serilog.Events;

namespace CutoverEngine.Aws.Recording;

/// <summary>
/// Where gateways publish attempts: writes each to Serilog with structured properties, then hands it to every
/// subscribed sink (the audit journal subscribes). A failing subscriber is logged and does not fail the AWS call.
/// </summary>
public sealed class AwsAttemptFeed : IAwsAttemptSink
{
    private readonly ILogger _log;
    private ImmutableArray<IAwsAttemptSink> _subscribers = [];

    public AwsAttemptFeed(ILogger log) => _log = log.ForContext<AwsAttemptFeed>();

    /// <summary>Adds a subscriber; dispose the result to remove it.</summary>
    public IDisposable Subscribe(IAwsAttemptSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ImmutableInterlocked.Update(ref _subscribers, s => s.Add(sink));
        return new Subscription(this, sink);
    }

    public void Record(AwsAttempt attempt)
    {
        Write(_log, attempt);
        foreach (var sink in _subscribers)
        {
            try
            {
                sink.Record(attempt);
            }
            catch (Exception ex)
            {
                _log.Error(
                    ex,
                    "AWS attempt sink {Sink} failed to record attempt {AttemptNumber} of call {CallId}",
                    sink.GetType().Name,
                    attempt.AttemptNumber,
                    attempt.CallId
                );
            }
        }
    }

    /// <summary>One log event per attempt; every field is a property, so log queries can filter on request
    /// ids.</summary>
    public static void Write(ILogger log, AwsAttempt a)
    {
        var level = a.Outcome switch
        {
            AwsAttemptOutcome.Failed => LogEventLevel.Error,
            AwsAttemptOutcome.Retrying => LogEventLevel.Warning,
            _ => LogEventLevel.Information,
        };
        var context = log;
        foreach (var (name, value) in a.Labels)
            context = context.ForContext(name, value);
        context
            .ForContext("CallId", a.CallId)
            .ForContext("StartedAt", a.StartedAt)
            .ForContext("ErrorMessage", a.ErrorMessage)
            .ForContext("Note", a.Note)
            .Write(
                level,
                "AWS {Service} {Operation} account {Account} attempt {AttemptNumber}: {Outcome} HTTP {HttpStatus} {ErrorCode} "
                    + "request {RequestId} in {LatencyMs} ms, next attempt in {NextAttemptDelayMs} ms",
                a.Service,
                a.Operation,
                a.Account,
                a.AttemptNumber,
                a.Outcome,
                a.HttpStatus,
                a.ErrorCode,
                a.RequestId,
                Math.Round(a.Latency.TotalMilliseconds, 1),
                a.NextAttemptDelay is { } d ? Math.Round(d.TotalMilliseconds, 1) : null
            );
    }

    private sealed class Subscription(AwsAttemptFeed feed, IAwsAttemptSink sink) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref feed._subscribers, s => s.Remove(sink));
    }
}
