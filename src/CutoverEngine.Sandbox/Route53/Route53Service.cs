using CutoverEngine.Sandbox.Edge;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Route53;

/// <summary>Route 53 REST/XML (being written).</summary>
public sealed class Route53Service(QuotaBook quotas) : IAwsService
{
    public string SigningName => "route53";
    public bool Claims(HttpRequest request) => request.Path.StartsWithSegments("/2013-04-01");
    public string? OperationOf(AwsCall call) => null;
    public TokenBucket? QuotaFor(AwsCall call, string operation) => quotas.Route53(call.Account.Id);
    public Task WriteErrorAsync(AwsCall call, int status, string code, string message) =>
        AwsErrors.WriteRoute53(call.Http, status, code, message, call.RequestId);
    public Task HandleAsync(AwsCall call, string operation) => Task.CompletedTask;
}
