using CutoverEngine.Sandbox.Edge;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>EC2 Query protocol, the subset the engine uses (TODO: being implemented).</summary>
public sealed class Ec2Service(QuotaBook quotas) : IAwsService
{
    public string SigningName => "ec2";

    public bool Claims(HttpRequest request) => !request.Path.StartsWithSegments("/2013-04-01");

    public string? OperationOf(AwsCall call) => call.Parameters.GetValueOrDefault("Action");

    public TokenBucket? QuotaFor(AwsCall call, string operation) => quotas.Ec2Mutating(call.Account.Id);

    public Task WriteErrorAsync(AwsCall call, int status, string code, string message) =>
        AwsErrors.WriteEc2(call.Http, status, code, message, call.RequestId);

    public Task HandleAsync(AwsCall call, string operation) =>
        WriteErrorAsync(call, 400, "InvalidAction", $"The action {operation} is not valid for this web service.");
}
