using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Leases;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Agent.Http;

/// <summary>
/// The sending-control protocol the engine speaks, version 1, for the environments this agent controls:
/// <list type="bullet">
/// <item>GET  /v1/environments: <c>{ "environments": [status, ...] }</c> (those the token may see)</item>
/// <item>GET  /v1/environments/{id} and /v1/environments/{id}/status</item>
/// <item>POST /v1/environments/{id}/pause <c>{leaseSeconds, reason?, requestId?}</c>: paused, already-paused,
/// already-applied</item>
/// <item>POST /v1/environments/{id}/lease <c>{leaseSeconds}</c>: lease-renewed; 409 NotPaused</item>
/// <item>POST /v1/environments/{id}/resume <c>{reason?}</c>: resumed, already-running</item>
/// </list>
/// Every call needs <c>Authorization: Bearer TOKEN</c>: none or a wrong one 401, a token not allowed the environment
/// 403. Errors are <c>{error, message, field?}</c>; a 4xx changes nothing.
/// </summary>
public sealed class AgentServer(AgentConfig config, SendingPauses pauses, AgentLog log) : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
    readonly BearerTokens _tokens = new(config.Tokens);

    /// <summary>
    /// A pause, renewal or resume, once its body is read, runs to its end even when the caller hangs up (an engine
    /// killed mid-request, a dropped connection): cancelled between Postfix's <c>postconf -e</c> and its reload, a
    /// pause left main.cf deferring, the state file paused and the running Postfix still delivering, the worst
    /// state of all. Each driver command is bounded by its own timeout, so nothing waits forever.
    /// </summary>
    static readonly CancellationToken RegardlessOfCaller = CancellationToken.None;
    WebApplication? _app;

    /// <summary>The bound address (the configured one, with the real port when it was 0).</summary>
    public Uri Endpoint { get; private set; } = config.Listen.Url;

    public async Task StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var url = config.Listen.Url;
        var address = url.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(url.Host.Trim('[', ']'));
        X509Certificate2? certificate = null;
        if (url.Scheme == "https")
            certificate = LoadCertificate(config.Listen.CertificateFile!, config.Listen.KeyFile!);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = config.MaxBodyBytes;
            k.Listen(
                address,
                url.Port,
                listen =>
                {
                    if (certificate is not null)
                        listen.UseHttps(certificate);
                }
            );
        });
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync(ct);
        var bound = _app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        var port = new Uri(bound.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port;
        Endpoint = new UriBuilder(url) { Port = port, Path = "/" }.Uri;
        log.Write("listening", new { endpoint = Endpoint.ToString(), environments = pauses.EnvironmentIds.ToList() });
    }

    static X509Certificate2 LoadCertificate(string certificateFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        // An ephemeral PEM key cannot serve TLS on every platform; a PKCS#12 round-trip gives a persisted one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    void Map(WebApplication app)
    {
        // Cast: a lambda taking only HttpContext would otherwise be read as a RequestDelegate and its result dropped.
        app.MapGet(
            "/v1/environments",
            (Func<HttpContext, Task<IResult>>)(
                http =>
                    HandleAsync(
                        http,
                        null,
                        async (token, ct) =>
                        {
                            var list = new List<AgentStatus>();
                            foreach (var id in pauses.EnvironmentIds.Where(token.Allows))
                                list.Add(await pauses.StatusAsync(id, ct));
                            return new { environments = list };
                        }
                    )
            )
        );
        app.MapGet(
            "/v1/environments/{id}",
            (string id, HttpContext http) => HandleAsync(http, id, (_, ct) => pauses.StatusAsync(id, ct))
        );
        app.MapGet(
            "/v1/environments/{id}/status",
            (string id, HttpContext http) => HandleAsync(http, id, (_, ct) => pauses.StatusAsync(id, ct))
        );
        app.MapPost(
            "/v1/environments/{id}/pause",
            (string id, HttpContext http) =>
                HandleAsync(
                    http,
                    id,
                    async (_, ct) =>
                    {
                        var body = await ReadBodyAsync(http, ct);
                        return await pauses.PauseAsync(
                            id,
                            Lease(body),
                            body.Reason,
                            body.RequestId,
                            RegardlessOfCaller
                        );
                    }
                )
        );
        app.MapPost(
            "/v1/environments/{id}/lease",
            (string id, HttpContext http) =>
                HandleAsync(
                    http,
                    id,
                    async (_, ct) =>
                    {
                        var body = await ReadBodyAsync(http, ct);
                        return await pauses.RenewAsync(id, Lease(body), RegardlessOfCaller);
                    }
                )
        );
        app.MapPost(
            "/v1/environments/{id}/resume",
            (string id, HttpContext http) =>
                HandleAsync(
                    http,
                    id,
                    async (_, ct) =>
                    {
                        var body = await ReadBodyAsync(http, ct);
                        return await pauses.ResumeAsync(id, body.Reason, RegardlessOfCaller);
                    }
                )
        );
        app.MapFallback(
            (Func<HttpContext, Task<IResult>>)(
                http =>
                    HandleAsync<object>(
                        http,
                        null,
                        (_, _) =>
                            throw new AgentRequestException(
                                404,
                                "NotFound",
                                $"no route {http.Request.Method} {http.Request.Path}; the protocol is under /v1/environments"
                            )
                    )
            )
        );
    }

    static TimeSpan Lease(ControlBody body) =>
        body.LeaseSeconds is { } s
            ? TimeSpan.FromSeconds(s)
            : throw new AgentRequestException(400, "MalformedBody", "leaseSeconds is required", "leaseSeconds");

    static async Task<ControlBody> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        string text;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            text = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            throw new AgentRequestException(
                413,
                "BodyTooLarge",
                "the request body is over the agent's limit; nothing was changed"
            );
        }
        return ControlBody.Parse(text);
    }

    async Task<IResult> HandleAsync<T>(
        HttpContext http,
        string? environmentId,
        Func<TokenConfig, CancellationToken, Task<T>> action
    )
    {
        var remote = http.Connection.RemoteIpAddress?.ToString();
        var route = $"{http.Request.Method} {http.Request.Path}";
        var token = _tokens.Find(http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null);
        if (token is null)
        {
            var why =
                http.Request.Headers.Authorization.Count == 0
                    ? "no bearer token"
                    : "a token that matches no configured hash";
            log.Write(
                "refused",
                new
                {
                    status = 401,
                    route,
                    remote,
                    why,
                }
            );
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(401, "Unauthorized", "a valid bearer token is required");
        }
        if (environmentId is not null && !token.Allows(environmentId))
        {
            log.Write(
                "refused",
                new
                {
                    status = 403,
                    route,
                    remote,
                    token = token.Name,
                    environmentId,
                }
            );
            return Error(403, "Forbidden", $"token '{token.Name}' is not allowed environment '{environmentId}'");
        }
        if (environmentId is not null && !pauses.Knows(environmentId))
        {
            log.Write(
                "refused",
                new
                {
                    status = 404,
                    route,
                    remote,
                    token = token.Name,
                    environmentId,
                }
            );
            return Error(
                404,
                "UnknownEnvironment",
                $"this agent controls no environment '{environmentId}'; it controls {string.Join(", ", pauses.EnvironmentIds)}"
            );
        }
        try
        {
            var result = await action(token, http.RequestAborted);
            log.Write(
                "request",
                new
                {
                    status = 200,
                    route,
                    remote,
                    token = token.Name,
                    outcome = (result as AgentStatus)?.Outcome,
                }
            );
            return Results.Json(result, Json, statusCode: 200);
        }
        catch (AgentRequestException e)
        {
            log.Write(
                "refused",
                new
                {
                    status = e.Status,
                    route,
                    remote,
                    token = token.Name,
                    error = e.Error,
                    message = e.Message,
                }
            );
            return Error(e.Status, e.Error, e.Message, e.Field);
        }
    }

    static IResult Error(int status, string error, string message, string? field = null) =>
        Results.Json(
            new
            {
                error,
                message,
                field,
            },
            Json,
            statusCode: status
        );

    public async ValueTask DisposeAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }
}
