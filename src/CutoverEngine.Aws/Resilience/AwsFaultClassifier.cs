using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace CutoverEngine.Aws.Resilience;

/// <summary>Decides, from what an attempt threw, whether retrying can help and whether the endpoint is to
/// blame.</summary>
public static class AwsFaultClassifier
{
    // AWS's "slow down" answers; retrying after a backoff is what AWS asks for.
    private static readonly HashSet<string> ThrottleCodes = new(StringComparer.Ordinal)
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottled",
        "RequestThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "PriorRequestNotComplete",
        "SlowDown",
        "ProvisionedThroughputExceededException",
        "EC2ThrottledException",
        "BandwidthLimitExceeded",
    };

    // Server-side failures that some services send with a 4xx status or no status at all.
    private static readonly HashSet<string> ServerErrorCodes = new(StringComparer.Ordinal)
    {
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "Unavailable",
        "RequestTimeout",
        "RequestTimeoutException",
    };

    // Temporary keys that lapsed between signing and AWS reading the request.
    private static readonly HashSet<string> ExpiredCredentialCodes = new(StringComparer.Ordinal)
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
    };

    /// <summary>The kind of fault <paramref name="exception"/> represents.</summary>
    public static AwsFault Classify(Exception exception) =>
        exception switch
        {
            AwsTransportException t => t.Fault,
            AwsServiceException s => ClassifyAnswer(s.ErrorCode, s.HttpStatus),
            TimeoutRejectedException => AwsFault.AttemptTimeout,
            BrokenCircuitException => AwsFault.CircuitOpen,
            RateLimiterRejectedException => AwsFault.RateLimiterFull,
            OperationCanceledException => AwsFault.Cancelled,
            _ when IsConnectionFailure(exception) => AwsFault.ConnectionFailed,
            _ => AwsFault.ClientError,
        };

    /// <summary>The kind of fault an AWS error answer represents, by its error code, else its HTTP status.</summary>
    public static AwsFault ClassifyAnswer(string? errorCode, int httpStatus) =>
        (errorCode, httpStatus) switch
        {
            (not null, _) when ThrottleCodes.Contains(errorCode) => AwsFault.Throttled,
            (not null, _) when ServerErrorCodes.Contains(errorCode) => AwsFault.ServerError,
            (not null, _) when ExpiredCredentialCodes.Contains(errorCode) => AwsFault.CredentialsExpired,
            (_, 429) => AwsFault.Throttled,
            (_, >= 500) => AwsFault.ServerError,
            _ => AwsFault.ClientError,
        };

    /// <summary>
    /// The class the journal records for a fault: throttle (AWS asked to slow down), permanent (the request itself is
    /// wrong: retrying the same request cannot help), transient (everything else: AWS or the path to it failed, the
    /// attempt ran out of time, or the engine's own limits refused it).
    /// </summary>
    public static AwsFaultClass ClassOf(AwsFault fault) =>
        fault switch
        {
            AwsFault.Throttled => AwsFaultClass.Throttle,
            AwsFault.ClientError => AwsFaultClass.Permanent,
            _ => AwsFaultClass.Transient,
        };

    /// <summary>
    /// The class of an answer known only by its error code and HTTP status (a journal entry written before the class
    /// was recorded); null when the answer was no error.
    /// </summary>
    public static AwsFaultClass? ClassOf(string? errorCode, int? httpStatus)
    {
        if (string.IsNullOrEmpty(errorCode) && httpStatus is null or < 400)
            return null;
        // The engine's own fault names stand in for an error code when AWS gave none (ConnectionFailed, ...).
        if (errorCode is not null && Enum.TryParse<AwsFault>(errorCode, out var fault) && Enum.IsDefined(fault))
            return ClassOf(fault);
        return ClassOf(ClassifyAnswer(errorCode, httpStatus ?? 0));
    }

    /// <summary>Throttling, 5xx, attempt timeouts, dropped connections and lapsed temporary keys are retried; nothing
    /// else is.</summary>
    public static bool IsRetryable(Exception exception) => IsRetryable(Classify(exception));

    public static bool IsRetryable(AwsFault fault) =>
        fault
            is AwsFault.Throttled
                or AwsFault.ServerError
                or AwsFault.AttemptTimeout
                or AwsFault.ConnectionFailed
                or AwsFault.CredentialsExpired;

    /// <summary>
    /// Whether the fault speaks against the endpoint's health. Throttling does not (the endpoint is well and busy),
    /// nor do client errors (the request was wrong).
    /// </summary>
    public static bool CountsAgainstEndpoint(Exception exception) =>
        Classify(exception) is AwsFault.ServerError or AwsFault.AttemptTimeout or AwsFault.ConnectionFailed;

    /// <summary>A dropped or refused connection, or an answer cut short, anywhere in the exception chain.</summary>
    public static bool IsConnectionFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is HttpRequestException or IOException or SocketException)
                return true;
        return false;
    }
}
