using System.Net;
using System.Text.Json;
using CutoverEngine.Sandbox.World;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Sandbox.SendingControl;

/// <summary>
/// The sending applications of every environment of the topology, with their control API over HTTP:
/// <list type="bullet">
/// <item>GET  /environments: <c>{ "environments": [status, ...] }</c></item>
/// <item>GET  /environments/{id} and /environments/{id}/status: the status</item>
/// <item>POST /environments/{id}/pause  <c>{ "leaseSeconds"?, "reason"?, "requestId"? }</c>: outcome "paused" or
/// "already-paused"</item>
/// <item>POST /environments/{id}/lease  <c>{ "leaseSeconds"? }</c>: outcome "lease-renewed"; 409 NotPaused</item>
/// <item>POST /environments/{id}/resume: outcome "resumed" or "already-running"</item>
/// <item>GET  /environments/{id}/functions/{name}: one of the instance's other functions, 200, or 503 while paused
/// when its fault switch is on</item>
/// </list>
/// Errors: <c>{ "error", "message", "field"?, "environmentId"? }</c> with 400 (MalformedBody), 404 (UnknownEnvironment,
/// NotFound), 409 (NotPaused).
/// </summary>
public sealed class SendingControlServer : IAsyncDisposable
{
    readonly SandboxWorld _world;
    readonly bool _generateMail;
    readonly SendingControlOptions _options;
    readonly Dictionary<string, SendingEnvironment> _environments;
    readonly CancellationTokenSource _stopping = new();
    readonly List<Task> _loops = [];
    WebApplication? _app;

    public SendingControlServer(
        SandboxWorld world,
        IPEndPoint dns,
        int smtpPort,
        bool generateMail,
        SendingControlOptions? options = null
    )
    {
        _world = world;
        _generateMail = generateMail;
        _options = options ?? new SendingControlOptions();
        _environments = world.Environments.ToDictionary(
            e => e.Id,
            e => new SendingEnvironment(world, e, dns, smtpPort, _options),
            StringComparer.Ordinal
        );
    }

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The URL of one environment's sending control (append /pause, /lease, /resume, /status).</summary>
    public Uri EnvironmentUrl(string environmentId) =>
        new(Endpoint, $"environments/{Uri.EscapeDataString(environmentId)}");

    /// <summary>Every environment's sending application, by id.</summary>
    public IReadOnlyDictionary<string, SendingEnvironment> Environments => _environments;

    /// <summary>One environment's sending application, for in-process use; throws naming the unknown id.</summary>
    public SendingEnvironment Environment(string environmentId) =>
        _environments.TryGetValue(environmentId, out var e) ? e : throw UnknownEnvironment(environmentId);

    public async Task StartAsync(IPAddress address, int port, CancellationToken ct)
    {
        if (_app is not null)
            throw new InvalidOperationException("The sending control is already started.");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port);
            k.Limits.MaxRequestBodySize = 64 * 1024;
        });
        _app = builder.Build();
        MapRoutes(_app);
        await _app.StartAsync(ct);
        Endpoint = Edge.BoundEndpoint.Of(_app);

        var start = _world.Now;
        foreach (var env in _environments.Values)
        {
            _loops.Add(Task.Run(() => env.RunDeliveryAsync(_stopping.Token), CancellationToken.None));
            if (_generateMail)
                _loops.Add(Task.Run(() => env.RunGeneratorAsync(start, _stopping.Token), CancellationToken.None));
        }
    }

    void MapRoutes(WebApplication app)
    {
        app.MapGet(
            "/environments",
            () =>
                Json(
                    200,
                    new
                    {
                        environments = _environments
                            .Values.OrderBy(e => e.Id, StringComparer.Ordinal)
                            .Select(e => e.Status())
                            .ToList(),
                    }
                )
        );
        app.MapGet("/environments/{id}", (string id) => Handle(id, e => Task.FromResult(e.Status())));
        app.MapGet("/environments/{id}/status", (string id) => Handle(id, e => Task.FromResult(e.Status())));
        app.MapPost(
            "/environments/{id}/pause",
            async (string id, HttpContext http) =>
            {
                var body = await ReadBodyAsync(http, id);
                if (body.Error is not null)
                    return body.Error;
                return await Handle(
                    id,
                    e => e.PauseAsync(body.LeaseSeconds, body.Reason, body.RequestId, http.RequestAborted)
                );
            }
        );
        app.MapPost(
            "/environments/{id}/lease",
            async (string id, HttpContext http) =>
            {
                var body = await ReadBodyAsync(http, id);
                if (body.Error is not null)
                    return body.Error;
                return await Handle(id, e => Task.FromResult(e.RenewLease(body.LeaseSeconds)));
            }
        );
        app.MapPost(
            "/environments/{id}/resume",
            async (string id, HttpContext http) =>
            {
                var body = await ReadBodyAsync(http, id);
                if (body.Error is not null)
                    return body.Error;
                return await Handle(id, e => Task.FromResult(e.Resume()));
            }
        );
        // The instance's other functions, which the cutover promises stay up while sending is paused.
        app.MapGet(
            "/environments/{id}/functions/{name}",
            (string id, string name) =>
            {
                if (!_environments.TryGetValue(id, out var e))
                    return Json(404, new ErrorBody("UnknownEnvironment", UnknownEnvironment(id).Message, null, id));
                return e.FunctionAnswers(name) switch
                {
                    true => Json(
                        200,
                        new
                        {
                            environmentId = id,
                            function = name,
                            state = "ok",
                        }
                    ),
                    false => Json(
                        503,
                        new
                        {
                            environmentId = id,
                            function = name,
                            state = "failing while paused",
                        }
                    ),
                    null => Json(
                        404,
                        new ErrorBody(
                            "NotFound",
                            $"Environment '{id}' has no other function '{name}'; it has: {string.Join(", ", e.OtherFunctions)}.",
                            null,
                            id
                        )
                    ),
                };
            }
        );
        app.MapFallback(
            (HttpContext http) =>
                Json(
                    404,
                    new ErrorBody(
                        "NotFound",
                        $"The sending control has no route {http.Request.Method} {http.Request.Path}; see GET /environments.",
                        null,
                        null
                    )
                )
        );
    }

    async Task<IResult> Handle(string id, Func<SendingEnvironment, Task<SendingStatus>> action)
    {
        try
        {
            return Json(200, await action(Environment(id)));
        }
        catch (SendingControlException ex)
        {
            return Json(ex.Status, new ErrorBody(ex.Error, ex.Message, ex.Field, ex.EnvironmentId));
        }
    }

    SendingControlException UnknownEnvironment(string id) =>
        new(
            404,
            "UnknownEnvironment",
            $"No environment '{id}' in this sandbox; known: {string.Join(", ", _environments.Keys.Order(StringComparer.Ordinal))}.",
            environmentId: id
        );

    sealed record ErrorBody(string Error, string Message, string? Field, string? EnvironmentId);

    sealed record ControlBody(double? LeaseSeconds, string? Reason, string? RequestId, IResult? Error);

    /// <summary>Reads the optional JSON body of a control call; a malformed one is refused with the field at
    /// fault.</summary>
    static async Task<ControlBody> ReadBodyAsync(HttpContext http, string id)
    {
        string text;
        using (var reader = new StreamReader(http.Request.Body))
            text = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
            return new ControlBody(null, null, null, null);

        IResult Bad(string field, string message) => Json(400, new ErrorBody("MalformedBody", message, field, id));
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new ControlBody(
                    null,
                    null,
                    null,
                    Bad("body", $"The body must be a JSON object; got {root.ValueKind}.")
                );
            double? lease = null;
            string? reason = null,
                requestId = null;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "leaseSeconds":
                        if (p.Value.ValueKind == JsonValueKind.Null)
                            break;
                        if (
                            p.Value.ValueKind != JsonValueKind.Number
                            || !p.Value.TryGetDouble(out var seconds)
                            || seconds <= 0
                        )
                            return new ControlBody(
                                null,
                                null,
                                null,
                                Bad(
                                    "leaseSeconds",
                                    $"leaseSeconds must be a positive number of seconds; got {p.Value.GetRawText()}."
                                )
                            );
                        lease = seconds;
                        break;
                    case "reason":
                        if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                            return new ControlBody(
                                null,
                                null,
                                null,
                                Bad("reason", $"reason must be a string; got {p.Value.GetRawText()}.")
                            );
                        reason = p.Value.GetString();
                        break;
                    case "requestId":
                        if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                            return new ControlBody(
                                null,
                                null,
                                null,
                                Bad("requestId", $"requestId must be a string; got {p.Value.GetRawText()}.")
                            );
                        requestId = p.Value.GetString();
                        break;
                }
            }
            return new ControlBody(lease, reason, requestId, null);
        }
        catch (JsonException ex)
        {
            return new ControlBody(null, null, null, Bad("body", $"The body is not valid JSON: {ex.Message}"));
        }
    }

    static IResult Json(int status, object value) =>
        Results.Json(value, SendingControlJson.Options, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException) { }
        foreach (var env in _environments.Values)
            env.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
