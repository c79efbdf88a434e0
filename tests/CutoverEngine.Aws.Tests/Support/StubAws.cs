using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CutoverEngine.Aws.Recording;

namespace CutoverEngine.Aws.Tests.Support;

/// <summary>A request as the stub saw it.</summary>
public sealed record SeenRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The EC2 Query action, or null for a Route 53 request.</summary>
    public string? Ec2Action => Body.Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "Action")?[1];
}

/// <summary>An HttpMessageHandler answering from a script; records every request it was sent.</summary>
public sealed class StubHandler(Func<SeenRequest, int, CancellationToken, Task<HttpResponseMessage>> respond)
    : HttpMessageHandler
{
    public StubHandler(Func<SeenRequest, int, Task<HttpResponseMessage>> respond)
        : this((r, n, _) => respond(r, n)) { }

    private int _count;
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();
    public int Count => Volatile.Read(ref _count);

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request
            .Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        var seen = new SeenRequest(request.Method, request.RequestUri!, headers, body);
        Requests.Enqueue(seen);
        var n = Interlocked.Increment(ref _count);
        cancellationToken.ThrowIfCancellationRequested();
        return await respond(seen, n, cancellationToken);
    }

    public static HttpResponseMessage Xml(int status, string xml, string? requestId = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(xml, Encoding.UTF8, "text/xml"),
        };
        response.Headers.TryAddWithoutValidation("x-amz-request-id", requestId ?? Guid.NewGuid().ToString());
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId ?? Guid.NewGuid().ToString());
        return response;
    }

    public const string R53 = "https://route53.amazonaws.com/doc/2013-04-01/";

    public static HttpResponseMessage Route53Error(
        int status,
        string code,
        string message = "sandbox says no",
        string? requestId = null
    )
    {
        requestId ??= Guid.NewGuid().ToString();
        return Xml(
            status,
            $"<?xml version=\"1.0\"?><ErrorResponse xmlns=\"{R53}\"><Error><Type>Sender</Type><Code>{code}</Code>"
                + $"<Message>{message}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>",
            requestId
        );
    }

    public static HttpResponseMessage Ec2Error(
        int status,
        string code,
        string message = "sandbox says no",
        string? requestId = null
    )
    {
        requestId ??= Guid.NewGuid().ToString();
        return Xml(
            status,
            $"<?xml version=\"1.0\"?><Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
                + $"<RequestID>{requestId}</RequestID></Response>",
            requestId
        );
    }

    public static HttpResponseMessage ChangeInfo(
        string id = "C123",
        string status = "PENDING",
        string? requestId = null
    ) =>
        Xml(
            200,
            $"<?xml version=\"1.0\"?><ChangeResourceRecordSetsResponse xmlns=\"{R53}\"><ChangeInfo><Id>/change/{id}</Id>"
                + $"<Status>{status}</Status><SubmittedAt>2026-11-26T19:00:00.000Z</SubmittedAt></ChangeInfo></ChangeResourceRecordSetsResponse>",
            requestId
        );

    public static HttpResponseMessage RecordSets(params (string Name, string Type, long Ttl, string[] Values)[] sets) =>
        Xml(
            200,
            $"<?xml version=\"1.0\"?><ListResourceRecordSetsResponse xmlns=\"{R53}\"><ResourceRecordSets>"
                + string.Concat(
                    sets.Select(s =>
                        $"<ResourceRecordSet><Name>{s.Name}</Name><Type>{s.Type}</Type><TTL>{s.Ttl}</TTL><ResourceRecords>"
                        + string.Concat(s.Values.Select(v => $"<ResourceRecord><Value>{v}</Value></ResourceRecord>"))
                        + "</ResourceRecords></ResourceRecordSet>"
                    )
                )
                + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>300</MaxItems></ListResourceRecordSetsResponse>"
        );

    public static HttpResponseMessage Ec2(string action, string inner, string? requestId = null) =>
        Xml(
            200,
            $"<?xml version=\"1.0\"?><{action}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
                + $"<requestId>{requestId ?? Guid.NewGuid().ToString()}</requestId>{inner}</{action}Response>"
        );
}

/// <summary>Hands out HttpClients over one handler, as IHttpClientFactory would.</summary>
public sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) =>
        new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
}

/// <summary>Keeps every attempt record.</summary>
public sealed class CollectingSink : IAwsAttemptSink
{
    private readonly ConcurrentQueue<AwsAttempt> _attempts = new();
    public IReadOnlyList<AwsAttempt> Attempts => [.. _attempts];

    public void Record(AwsAttempt attempt) => _attempts.Enqueue(attempt);
}
