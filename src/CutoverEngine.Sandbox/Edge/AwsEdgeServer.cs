using System.Net;
using CutoverEngine.Sandbox.Faults;
using CutoverEngine.Sandbox.World;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Sandbox.Edge;

/// <summary>
/// The sandbox's single AWS endpoint (like LocalStack's edge port): authenticates with SigV4, applies the
/// account's quota for the operation, rolls the fault dice, then hands the request to its service.
/// </summary>
public sealed class AwsEdgeServer : IAsyncDisposable
{
    readonly SandboxWorld _world;
    readonly SandboxMetrics _metrics;
    readonly FaultInjector _faults;
    readonly IReadOnlyList<IAwsService> _services;
    WebApplication? _app;

    public AwsEdgeServer(
        SandboxWorld world,
        SandboxMetrics metrics,
        FaultInjector faults,
        IEnumerable<IAwsService> services
    )
    {
        _world = world;
        _metrics = metrics;
        _faults = faults;
        _services = [.. services];
    }

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Largest clock difference accepted between the request's X-Amz-Date and now (AWS: 15 minutes).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    /// <summary>Calls IAM never denies (AWS: "no permissions are required to perform this operation").</summary>
    static readonly HashSet<string> ActionsWithoutPermission = new(StringComparer.Ordinal) { "sts:GetCallerIdentity" };

    public async Task StartAsync(IPAddress address, int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port);
            k.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync(ct);
        Endpoint = Edge.BoundEndpoint.Of(_app);
    }

    async Task HandleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amz-request-id"] = requestId;
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();

        var auth = SigV4Verifier.Parse(http.Request);
        var service = auth is null
            ? _services.FirstOrDefault(s => s.Claims(http.Request)) ?? _services[^1]
            : _services.FirstOrDefault(s => s.SigningName == auth.Service);
        var unknownAccount = new AccountState("unknown", "us-east-1", "", "");
        AwsCall Call(AccountState account, SandboxPrincipal? principal = null) =>
            new()
            {
                Http = http,
                Account = account,
                Principal = principal,
                RequestId = requestId,
                Body = body,
                World = _world,
                Metrics = _metrics,
            };

        if (service is null)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsync($"The sandbox serves no AWS service named '{auth!.Service}'.");
            return;
        }
        if (auth is null)
        {
            await service.WriteErrorAsync(
                Call(unknownAccount),
                403,
                "MissingAuthenticationToken",
                "Request is missing Authentication Token"
            );
            return;
        }
        var sessionToken = http.Request.Headers["X-Amz-Security-Token"].ToString();
        var credentials = _world.Credentials.Check(auth.AccessKeyId, sessionToken, _world.Now, out var principal);
        if (credentials == CredentialCheck.Invalid || principal is null)
        {
            await service.WriteErrorAsync(
                Call(unknownAccount),
                403,
                service.SigningName == "ec2" ? "AuthFailure" : "InvalidClientTokenId",
                "The security token included in the request is invalid."
            );
            return;
        }
        var account = principal.Account;
        var call = Call(account, principal);
        if (!SigV4Verifier.Verify(http.Request, body, auth, principal.SecretAccessKey, out var stringToSign))
        {
            await service.WriteErrorAsync(
                call,
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
            );
            return;
        }
        if (credentials == CredentialCheck.Expired)
        {
            // EC2 says RequestExpired for a session past its expiration; Route 53 and STS say ExpiredToken.
            if (service.SigningName == "ec2")
                await service.WriteErrorAsync(call, 400, "RequestExpired", "Request has expired.");
            else
                await service.WriteErrorAsync(
                    call,
                    403,
                    "ExpiredToken",
                    "The security token included in the request is expired"
                );
            return;
        }
        if (TryRequestTime(http.Request) is { } at && (at - _world.Now).Duration() > MaxClockSkew)
        {
            await service.WriteErrorAsync(
                call,
                403,
                service.SigningName == "ec2" ? "AuthFailure" : "SignatureDoesNotMatch",
                $"Signature expired: {at:yyyyMMddTHHmmssZ} is now earlier than {(_world.Now - MaxClockSkew):yyyyMMddTHHmmssZ}."
            );
            return;
        }

        var operation = service.OperationOf(call);
        if (operation is null)
        {
            await service.WriteErrorAsync(
                call,
                400,
                service.SigningName == "ec2" ? "InvalidAction" : "InvalidInput",
                "The action or operation requested is invalid."
            );
            return;
        }
        var action = $"{service.SigningName}:{operation}";
        if (!ActionsWithoutPermission.Contains(action) && !principal.Allows(action))
        {
            _metrics.For(account.Id, service.SigningName, operation).CountRefused();
            if (service.SigningName == "ec2")
                await service.WriteErrorAsync(
                    call,
                    403,
                    "UnauthorizedOperation",
                    $"You are not authorized to perform this operation. User: {principal.Arn} is not authorized to perform: {action}"
                );
            else
                await service.WriteErrorAsync(
                    call,
                    403,
                    "AccessDenied",
                    $"User: {principal.Arn} is not authorized to perform: {action}"
                );
            return;
        }
        var counters = _metrics.For(account.Id, service.SigningName, operation);
        var bucket = service.QuotaFor(call, operation);
        if (bucket is not null && !bucket.TryTake())
        {
            counters.CountThrottled();
            if (service.SigningName == "ec2")
                await service.WriteErrorAsync(call, 503, "RequestLimitExceeded", "Request limit exceeded.");
            else
                await service.WriteErrorAsync(call, 400, "Throttling", "Rate exceeded");
            return;
        }
        if (service.SigningName == "route53")
            _metrics.RecordRoute53Accepted(account.Id, _world.Now);

        if (_faults.Refuses(action))
        {
            counters.CountFaulted();
            await service.WriteErrorAsync(
                call,
                400,
                service.SigningName == "ec2" ? "OperationNotPermitted" : "InvalidInput",
                $"{action} is refused (sandbox fault injection)."
            );
            return;
        }
        switch (_faults.Roll())
        {
            case FaultKind.InternalError:
                counters.CountFaulted();
                await service.WriteErrorAsync(
                    call,
                    500,
                    service.SigningName == "ec2" ? "InternalError" : "InternalFailure",
                    "An internal error occurred (sandbox fault injection)."
                );
                return;
            case FaultKind.ServiceUnavailable:
                counters.CountFaulted();
                await service.WriteErrorAsync(
                    call,
                    503,
                    service.SigningName == "ec2" ? "Unavailable" : "ServiceUnavailable",
                    "Service is unavailable (sandbox fault injection)."
                );
                return;
            case FaultKind.DroppedConnection:
                counters.CountFaulted();
                http.Abort();
                return;
            case FaultKind.Slow:
                counters.CountFaulted();
                await Task.Delay(TimeSpan.FromMilliseconds(_faults.LatencyMs), _world.Clock, http.RequestAborted);
                break;
        }

        await service.HandleAsync(call, operation);
        if (http.Response.StatusCode < 400)
            counters.CountAccepted();
        else
            counters.CountRefused();
    }

    static DateTimeOffset? TryRequestTime(HttpRequest request)
    {
        var raw = request.Headers["X-Amz-Date"].ToString();
        return DateTimeOffset.TryParseExact(
            raw,
            "yyyyMMdd'T'HHmmss'Z'",
            null,
            System.Globalization.DateTimeStyles.AssumeUniversal,
            out var at
        )
            ? at
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
