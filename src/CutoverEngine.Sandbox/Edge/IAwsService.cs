using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Edge;

/// <summary>One AWS service behind the edge: routed by the service name in the SigV4 credential scope.</summary>
public interface IAwsService
{
    /// <summary>The SigV4 service name, e.g. route53 or ec2.</summary>
    string SigningName { get; }

    /// <summary>Does an unsigned request look like it was meant for this service (for a correctly shaped
    /// refusal)?</summary>
    bool Claims(HttpRequest request);

    /// <summary>The API operation the call asks for (for quotas and metrics); null when the request names none this
    /// service knows.</summary>
    string? OperationOf(AwsCall call);

    /// <summary>The quota bucket the operation draws from, or null when it is not rate limited.</summary>
    TokenBucket? QuotaFor(AwsCall call, string operation);

    Task WriteErrorAsync(AwsCall call, int status, string code, string message);

    Task HandleAsync(AwsCall call, string operation);
}
