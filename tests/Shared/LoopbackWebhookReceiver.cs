using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CutoverEngine.Engine.Webhooks;

namespace CutoverEngine.Testing;

/// <summary>One POST a <see cref="LoopbackWebhookReceiver"/> got: its headers, body, whether the signature
/// verified, and the status it answered.</summary>
public sealed record ReceivedWebhook(
    int Number,
    string? Signature,
    string? EventId,
    string? Event,
    string? Attempt,
    byte[] Body,
    bool SignatureVerified,
    int AnsweredStatus
)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// A webhook receiver on 127.0.0.1 (a real HTTP listener): checks each request's signature with the shared secret
/// the way a receiver would (<see cref="WebhookSignature.Verify"/>), answers the status its plan gives for the Nth
/// request, and keeps what it got.
/// </summary>
public sealed class LoopbackWebhookReceiver : IAsyncDisposable
{
    readonly HttpListener _listener = new();
    readonly string _secret;
    readonly Func<int, int> _statusFor;
    readonly List<ReceivedWebhook> _received = [];
    readonly Task _loop;

    /// <param name="statusFor">The status to answer the Nth request (1-based).</param>
    public LoopbackWebhookReceiver(string secret, Func<int, int> statusFor)
    {
        _secret = secret;
        _statusFor = statusFor;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_received)
                return [.. _received];
        }
    }

    async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e)
                when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var bytes = body.ToArray();
            var signature = context.Request.Headers[WebhookSignature.Header];
            int number;
            lock (_received)
                number = _received.Count + 1;
            var status = _statusFor(number);
            var received = new ReceivedWebhook(
                number,
                signature,
                context.Request.Headers[WebhookHeaders.EventId],
                context.Request.Headers[WebhookHeaders.Event],
                context.Request.Headers[WebhookHeaders.Attempt],
                bytes,
                WebhookSignature.Verify(
                    signature,
                    _secret,
                    bytes,
                    DateTimeOffset.UtcNow,
                    WebhookSignature.DefaultTolerance
                ),
                status
            );
            lock (_received)
                _received.Add(received);
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
