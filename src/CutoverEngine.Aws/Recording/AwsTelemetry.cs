using System.Diagnostics;
using System.Diagnostics.Metrics;
using CutoverEngine.Aws.Resilience;

namespace CutoverEngine.Aws.Recording;

/// <summary>
/// The AWS calls' metrics and spans, under the engine's one telemetry name (<see cref="Name"/>, the same as the
/// engine's <c>CutoverTelemetry.Name</c>; this project depends on nothing of ours, so it holds its own copy and a
/// test holds them equal). Counted where attempts are published (<see cref="AwsAttemptFeed"/>), spanned where they
/// are made (<see cref="AwsCallRunner"/>).
/// </summary>
public static class AwsTelemetry
{
    public const string Name = "CutoverEngine";

    public static readonly ActivitySource Source = new(Name);

    static readonly Meter Meter = new(Name);

    static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "cutover.aws.attempts",
        "{attempt}",
        "AWS requests sent, by service, operation and outcome (succeeded, retrying, failed)"
    );

    static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "cutover.aws.retries",
        "{retry}",
        "AWS attempts that failed and were tried again, by service and operation"
    );

    static readonly Counter<long> Throttles = Meter.CreateCounter<long>(
        "cutover.aws.throttles",
        "{throttle}",
        "AWS attempts refused as throttled (AWS said slow down), by service and operation"
    );

    /// <summary>Counts one published attempt (a recorded no-op sends no request and is not counted).</summary>
    public static void Count(AwsAttempt attempt)
    {
        if (attempt.Outcome == AwsAttemptOutcome.AlreadyInPlace)
            return;
        var service = new KeyValuePair<string, object?>("service", attempt.Service.ToString());
        var operation = new KeyValuePair<string, object?>("operation", attempt.Operation);
        Attempts.Add(
            1,
            service,
            operation,
            new KeyValuePair<string, object?>("outcome", attempt.Outcome.ToString().ToLowerInvariant())
        );
        if (attempt.Outcome == AwsAttemptOutcome.Retrying)
            Retries.Add(1, service, operation);
        if (attempt.FaultClass == AwsFaultClass.Throttle)
            Throttles.Add(1, service, operation);
    }

    /// <summary>A client span for one attempt, a child of the step's span; null when nobody listens.</summary>
    public static Activity? StartAttempt(AwsOperation operation, string account, int attempt)
    {
        var activity = Source.StartActivity($"{operation.Service} {operation.Name}", ActivityKind.Client);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", operation.Service.ToString());
        activity?.SetTag("rpc.method", operation.Name);
        activity?.SetTag("cloud.account.id", account);
        activity?.SetTag("cutover.aws.attempt", attempt);
        return activity;
    }

    public static void Succeeded(Activity? activity, int httpStatus, string? requestId)
    {
        activity?.SetTag("http.response.status_code", httpStatus);
        activity?.SetTag("aws.request_id", requestId);
    }

    public static void Failed(Activity? activity, Exception failure)
    {
        if (activity is null)
            return;
        if (failure is AwsServiceException service)
        {
            activity.SetTag("aws.request_id", service.RequestId);
            activity.SetTag("aws.error_code", service.ErrorCode);
        }
        activity.SetStatus(ActivityStatusCode.Error, failure.Message);
    }
}
