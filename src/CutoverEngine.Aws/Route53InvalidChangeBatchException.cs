namespace CutoverEngine.Aws;

/// <summary>Route 53 refused a change batch; nothing in it was applied. <see cref="Messages"/> says why, change by
/// change.</summary>
public sealed class Route53InvalidChangeBatchException : AwsServiceException
{
    public Route53InvalidChangeBatchException(
        AwsOperation operation,
        string account,
        IReadOnlyList<string> messages,
        int httpStatus,
        string? requestId
    )
        : base(operation, account, "InvalidChangeBatch", string.Join(" | ", messages), httpStatus, requestId)
    {
        Messages = messages;
    }

    public IReadOnlyList<string> Messages { get; }
}
