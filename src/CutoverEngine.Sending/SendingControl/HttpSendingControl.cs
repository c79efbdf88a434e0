using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CutoverEngine.Sending.SendingControl;

/// <summary>Options of the HTTP sending control (section Sending:Control). Every default is stated.</summary>
public sealed class SendingControlOptions
{
    /// <summary>Attempts per call for transient failures (connection refused, 5xx, timeouts). Default 4.</summary>
    public int Attempts { get; set; } = 4;
    /// <summary>First backoff, doubled with jitter. Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Timeout of one attempt. Default 15 s (a pause waits for the message in flight).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The sending-control protocol over HTTP/JSON that the sandbox serves (and an MTA-side agent would):
/// POST {control}/pause {leaseSeconds, reason, requestId}, POST {control}/lease {leaseSeconds},
/// POST {control}/resume, GET {control}/status.
/// </summary>
public sealed class HttpSendingControl : ISendingControl
{
    public const string HttpClientName = "sending-control";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly IHttpClientFactory _clients;
    readonly ResiliencePipeline _pipeline;
    readonly SendingControlOptions _options;

    public HttpSendingControl(IHttpClientFactory clients, IOptions<SendingControlOptions> options)
    {
        _clients = clients;
        _options = options.Value;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, _options.Attempts - 1),
                Delay = _options.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutException>()
                    .Handle<SendingControlException>(e => e.Status is null or >= 500),
            })
            .Build();
    }

    public Task<SendingStatus> PauseAsync(Uri control, TimeSpan lease, string reason, string requestId, CancellationToken ct = default) =>
        SendAsync(control, HttpMethod.Post, "pause", new { leaseSeconds = lease.TotalSeconds, reason, requestId }, ct);

    public Task<SendingStatus> RenewLeaseAsync(Uri control, TimeSpan lease, CancellationToken ct = default) =>
        SendAsync(control, HttpMethod.Post, "lease", new { leaseSeconds = lease.TotalSeconds }, ct);

    public Task<SendingStatus> ResumeAsync(Uri control, string reason, CancellationToken ct = default) =>
        SendAsync(control, HttpMethod.Post, "resume", new { reason }, ct);

    public Task<SendingStatus> GetStatusAsync(Uri control, CancellationToken ct = default) =>
        SendAsync(control, HttpMethod.Get, "status", null, ct);

    async Task<SendingStatus> SendAsync(Uri control, HttpMethod method, string action, object? body, CancellationToken ct)
    {
        var url = new Uri(control.ToString().TrimEnd('/') + "/" + action);
        return await _pipeline.ExecuteAsync(async token =>
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
            attempt.CancelAfter(_options.AttemptTimeout);
            var http = _clients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(method, url);
            if (body is not null) request.Content = JsonContent.Create(body, options: Json);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, attempt.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new TimeoutException($"sending control {url} did not answer within {_options.AttemptTimeout.TotalSeconds:0} s");
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(token);
                if (!response.IsSuccessStatusCode)
                    throw new SendingControlException(control, (int)response.StatusCode, text.Length > 500 ? text[..500] : text);
                try
                {
                    return JsonSerializer.Deserialize<SendingStatus>(text, Json) ?? throw new JsonException("empty body");
                }
                catch (JsonException e)
                {
                    throw new SendingControlException(control, (int)response.StatusCode, $"unreadable status: {e.Message}", e);
                }
            }
        }, ct);
    }
}
