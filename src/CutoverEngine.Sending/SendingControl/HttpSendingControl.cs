using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
/// POST {control}/resume, GET {control}/status. An address with agent credentials
/// (<see cref="SendingControlCredentials"/>) gets a bearer token from its source and trusts its CA certificate.
/// </summary>
public sealed class HttpSendingControl : ISendingControl
{
    public const string HttpClientName = "sending-control";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly IHttpClientFactory _clients;
    readonly ResiliencePipeline _pipeline;
    readonly SendingControlOptions _options;

    /// <summary>One client per CA file: its handler pins the trust to that CA (and keeps pooled connections).</summary>
    readonly ConcurrentDictionary<string, Lazy<HttpClient>> _trustingClients = new(StringComparer.Ordinal);

    public HttpSendingControl(IHttpClientFactory clients, IOptions<SendingControlOptions> options)
    {
        _clients = clients;
        _options = options.Value;
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(
                new RetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(0, _options.Attempts - 1),
                    Delay = _options.BaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = new PredicateBuilder()
                        .Handle<HttpRequestException>()
                        .Handle<TimeoutException>()
                        .Handle<SendingControlException>(e => e.Status is null or >= 500),
                }
            )
            .Build();
    }

    public Task<SendingStatus> PauseAsync(
        SendingControlAddress control,
        TimeSpan lease,
        string reason,
        string requestId,
        CancellationToken ct = default
    ) =>
        SendAsync(
            control,
            HttpMethod.Post,
            "pause",
            new
            {
                leaseSeconds = lease.TotalSeconds,
                reason,
                requestId,
            },
            ct
        );

    public Task<SendingStatus> RenewLeaseAsync(
        SendingControlAddress control,
        TimeSpan lease,
        CancellationToken ct = default
    ) => SendAsync(control, HttpMethod.Post, "lease", new { leaseSeconds = lease.TotalSeconds }, ct);

    public Task<SendingStatus> ResumeAsync(
        SendingControlAddress control,
        string reason,
        CancellationToken ct = default
    ) => SendAsync(control, HttpMethod.Post, "resume", new { reason }, ct);

    public Task<SendingStatus> GetStatusAsync(SendingControlAddress control, CancellationToken ct = default) =>
        SendAsync(control, HttpMethod.Get, "status", null, ct);

    async Task<SendingStatus> SendAsync(
        SendingControlAddress control,
        HttpMethod method,
        string action,
        object? body,
        CancellationToken ct
    )
    {
        var address = control;
        var url = new Uri(address.Url.ToString().TrimEnd('/') + "/" + action);
        // Credentials are resolved before the retries: a missing token or CA is not transient.
        var bearer = address.ReadToken();
        var http = address.CaCertificate is { } ca
            ? TrustingClient(address.Url, ca)
            : _clients.CreateClient(HttpClientName);
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
                attempt.CancelAfter(_options.AttemptTimeout);
                using var request = new HttpRequestMessage(method, url);
                if (bearer is not null)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                if (body is not null)
                    request.Content = JsonContent.Create(body, options: Json);
                HttpResponseMessage response;
                try
                {
                    response = await http.SendAsync(request, attempt.Token);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new TimeoutException(
                        $"sending control {url} did not answer within {_options.AttemptTimeout.TotalSeconds:0} s"
                    );
                }
                using (response)
                {
                    var text = await response.Content.ReadAsStringAsync(token);
                    if (!response.IsSuccessStatusCode)
                        throw new SendingControlException(
                            control.Url,
                            (int)response.StatusCode,
                            text.Length > 500 ? text[..500] : text
                        );
                    try
                    {
                        return JsonSerializer.Deserialize<SendingStatus>(text, Json)
                            ?? throw new JsonException("empty body");
                    }
                    catch (JsonException e)
                    {
                        throw new SendingControlException(
                            control.Url,
                            (int)response.StatusCode,
                            $"unreadable status: {e.Message}",
                            e
                        );
                    }
                }
            },
            ct
        );
    }

    HttpClient TrustingClient(Uri control, string caFile)
    {
        X509Certificate2 ca;
        try
        {
            ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new SendingControlException(
                control,
                null,
                $"cannot load the CA certificate {caFile}: {e.Message}",
                e
            );
        }
        return _trustingClients
            .GetOrAdd(
                caFile,
                _ => new Lazy<HttpClient>(() =>
                    new HttpClient(
                        new SocketsHttpHandler
                        {
                            SslOptions =
                            {
                                RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                                    TrustedBy(ca, cert, errors),
                            },
                        }
                    )
                    {
                        Timeout = Timeout.InfiniteTimeSpan,
                    }
                )
            )
            .Value;
    }

    /// <summary>The agent's certificate must name the host and chain to the configured CA (or to the system's
    /// roots).</summary>
    static bool TrustedBy(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var certificate =
            presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(certificate);
    }
}
