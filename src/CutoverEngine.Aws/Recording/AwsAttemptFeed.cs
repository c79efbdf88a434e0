using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Aws.Recording;

/// <summary>
/// Where gateways publish attempts: writes each to the log with structured properties, then hands it to every
/// subscribed sink (the audit journal subscribes). A failing subscriber is logged and does not fail the AWS call.
/// </summary>
public sealed class AwsAttemptFeed : IAwsAttemptSink
{
    private readonly ILogger<AwsAttemptFeed> _log;
    private ImmutableArray<IAwsAttemptSink> _subscribers = [];

    public AwsAttemptFeed(ILogger<AwsAttemptFeed>? log = null) => _log = log ?? NullLogger<AwsAttemptFeed>.Instance;

    /// <summary>Adds a subscriber; dispose the result to remove it.</summary>
    public IDisposable Subscribe(IAwsAttemptSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ImmutableInterlocked.Update(ref _subscribers, s => s.Add(sink));
        return new Subscription(this, sink);
    }

    public void Record(AwsAttempt attempt)
    {
        Write(attempt);
        AwsTelemetry.Count(attempt);
        foreach (var sink in _subscribers)
        {
            try
            {
                sink.Record(attempt);
            }
            catch (Exception ex)
            {
                _log.LogError(
                    ex,
                    "AWS attempt sink {Sink} failed to record attempt {AttemptNumber} of call {CallId}",
                    sink.GetType().Name,
                    attempt.AttemptNumber,
                    attempt.CallId
                );
            }
        }
    }

    /// <summary>One log event per attempt; every field is a property (the labels and the call's identity through a
    /// scope), so log queries can filter on request ids.</summary>
    private void Write(AwsAttempt a)
    {
        var level = a.Outcome switch
        {
            // EC2 answers a DryRun it would have allowed with DryRunOperation (HTTP 412): readiness's permission
            // check getting its good answer, not an error.
            AwsAttemptOutcome.Failed when a.ErrorCode == "DryRunOperation" => LogLevel.Information,
            AwsAttemptOutcome.Failed => LogLevel.Error,
            AwsAttemptOutcome.Retrying => LogLevel.Warning,
            _ => LogLevel.Information,
        };
        if (!_log.IsEnabled(level))
            return;
        var properties = new Dictionary<string, object?>(a.Labels.Count + 4)
        {
            ["CallId"] = a.CallId,
            ["StartedAt"] = a.StartedAt,
            ["ErrorMessage"] = a.ErrorMessage,
            ["Note"] = a.Note,
        };
        foreach (var (name, value) in a.Labels)
            properties[name] = value;
        using var _ = _log.BeginScope(properties);
        _log.Log(
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
