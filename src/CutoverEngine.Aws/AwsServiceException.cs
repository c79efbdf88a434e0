namespace CutoverEngine.Aws;

/// <summary>AWS answered with an error: its code, message, HTTP status and request id.</summary>
public class AwsServiceException : AwsCallException
{
    public AwsServiceException(
        AwsOperation operation,
        string account,
        string errorCode,
        string errorMessage,
        int httpStatus,
        string? requestId,
        Exception? inner = null
    )
        : base(operation, account, Describe(operation, account, errorCode, errorMessage, httpStatus, requestId), inner)
    {
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        HttpStatus = httpStatus;
        RequestId = requestId;
    }

    /// <summary>AWS's error code, e.g. <c>Throttling</c>, <c>InvalidAllocationID.NotFound</c>.</summary>
    public string ErrorCode { get; }
    public string ErrorMessage { get; }
    public int HttpStatus { get; }

    /// <summary>The AWS request id, the proof of what AWS saw; null when the answer carried none.</summary>
    public string? RequestId { get; }

    private static string Describe(
        AwsOperation op,
        string account,
        string code,
        string message,
        int status,
        string? requestId
    ) =>
        $"{op.Service} {op.Name} in account {account} failed: {code} (HTTP {status}): {message}"
        + (requestId is null ? "" : $" [request id {requestId}]");
}
