namespace CutoverEngine.Aws;

/// <summary>An AWS call failed for good: after its retries, or at once because retrying could not help.</summary>
public class AwsCallException : Exception
{
    public AwsCallException(AwsOperation operation, string account, string message, Exception? inner = null)
        : base(message, inner)
    {
        Operation = operation;
        Account = account;
    }

    public AwsOperation Operation { get; }
    public AwsService Service => Operation.Service;
    public string Account { get; }

    /// <summary>Attempts made before giving up (0 when no request was sent). Set once the call is over.</summary>
    public int Attempts { get; internal set; }
}

/// <summary>No usable answer came back: the connection dropped, the attempt timed out, or the call's budget ran
/// out.</summary>
public sealed class AwsTransportException(
    AwsOperation operation,
    string account,
    AwsFault fault,
    string message,
    Exception? inner = null
) : AwsCallException(operation, account, message, inner)
{
    public AwsFault Fault { get; } = fault;
}

/// <summary>Why an attempt failed, in the terms retry decisions are made in.</summary>
public enum AwsFault
{
    /// <summary>AWS said slow down (Throttling, RequestLimitExceeded, PriorRequestNotComplete). Retried.</summary>
    Throttled,

    /// <summary>AWS failed (HTTP 5xx). Retried; counts against the endpoint's circuit.</summary>
    ServerError,

    /// <summary>The attempt outlived its timeout. Retried; counts against the endpoint's circuit.</summary>
    AttemptTimeout,

    /// <summary>The connection failed or dropped before a whole answer came. Retried; counts against the endpoint's
    /// circuit.</summary>
    ConnectionFailed,

    /// <summary>
    /// The temporary keys a request was signed with expired before AWS read it (ExpiredToken, RequestExpired): a call
    /// signed just before its role's keys were replaced. Retried, re-signed with the fresh keys.
    /// </summary>
    CredentialsExpired,

    /// <summary>The request itself is wrong, unauthorized or refers to something missing. Never retried.</summary>
    ClientError,

    /// <summary>The endpoint's circuit is open: no request was sent. Not retried.</summary>
    CircuitOpen,

    /// <summary>Too many callers already wait for the account's rate limiter. Not retried.</summary>
    RateLimiterFull,

    /// <summary>The call's total time budget ran out.</summary>
    CallBudgetExceeded,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}
