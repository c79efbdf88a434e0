using System.Net.Http.Headers;
using System.Xml.Linq;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Resilience;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Aws.Route53;

/// <summary>
/// Route 53 over its REST/XML API with requests signed by AWSSDK.Core's SigV4 signer and sent with an HttpClient
/// from IHttpClientFactory (named <see cref="HttpClientName"/>).
/// </summary>
public sealed class Route53Gateway(
    IHttpClientFactory httpClients,
    IOptions<AwsOptions> options,
    IAwsCredentialsSource credentials,
    AwsCallRunner runner,
    TimeProvider? time = null
) : IRoute53Gateway
{
    /// <summary>The IHttpClientFactory name of Route 53's HttpClient.</summary>
    public const string HttpClientName = "CutoverEngine.Aws.Route53";

    /// <summary>Route 53 is global; SigV4 signs it for us-east-1.</summary>
    public const string SigningRegion = "us-east-1";
    public const string SigningService = "route53";

    private const string Version = "/2013-04-01";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly AwsOptions _options = options.Value;

    public async Task<ChangeInfo> SubmitChangeBatchAsync(
        string account,
        string hostedZoneId,
        ChangeBatch batch,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.EnsureWithinLimits();
        var zone = ZoneId(hostedZoneId);
        var body = Route53Xml.WriteChangeBatch(batch);
        var reply = await SendAsync(
                AwsOperations.ChangeResourceRecordSets,
                account,
                HttpMethod.Post,
                $"{Version}/hostedzone/{Uri.EscapeDataString(zone)}/rrset/",
                [],
                body,
                cancellationToken
            )
            .ConfigureAwait(false);
        return Route53Xml.ReadChangeInfo(reply.Document) with { RequestId = reply.RequestId };
    }

    public async Task<ChangeInfo> GetChangeAsync(
        string account,
        string changeId,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changeId);
        var id = changeId.StartsWith("/change/", StringComparison.Ordinal) ? changeId["/change/".Length..] : changeId;
        var reply = await SendAsync(
                AwsOperations.GetChange,
                account,
                HttpMethod.Get,
                $"{Version}/change/{Uri.EscapeDataString(id)}",
                [],
                null,
                cancellationToken
            )
            .ConfigureAwait(false);
        return Route53Xml.ReadChangeInfo(reply.Document) with { RequestId = reply.RequestId };
    }

    public async Task<IReadOnlyList<ResourceRecordSet>> ListRecordSetsAsync(
        string account,
        string hostedZoneId,
        CancellationToken cancellationToken = default
    )
    {
        var zone = ZoneId(hostedZoneId);
        var all = new List<ResourceRecordSet>();
        var query = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var page = await ListPageAsync(account, zone, query, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.RecordSets);
            if (!page.IsTruncated)
                return all;
            if (page.NextRecordName is null)
                throw new FormatException(
                    $"Route 53 said the record sets of zone {zone} continue but named no next record."
                );
            query = [new("name", page.NextRecordName)];
            if (page.NextRecordType is not null)
                query.Add(new("type", page.NextRecordType));
            if (page.NextRecordIdentifier is not null)
                query.Add(new("identifier", page.NextRecordIdentifier));
        }
    }

    public async Task<ResourceRecordSet?> FindRecordSetAsync(
        string account,
        string hostedZoneId,
        string name,
        string type,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var wanted = new ResourceRecordSet(name, type, null, []);
        // Listing starts at (name, type) in Route 53's order; the first set is the one asked for, if it exists.
        var page = await ListPageAsync(
                account,
                ZoneId(hostedZoneId),
                [new("name", name), new("type", type.ToUpperInvariant()), new("maxitems", "1")],
                cancellationToken
            )
            .ConfigureAwait(false);
        return page.RecordSets.FirstOrDefault(s => s.IsSameSetAs(wanted));
    }

    private async Task<RecordSetsPage> ListPageAsync(
        string account,
        string zone,
        List<KeyValuePair<string, string>> query,
        CancellationToken cancellationToken
    )
    {
        var reply = await SendAsync(
                AwsOperations.ListResourceRecordSets,
                account,
                HttpMethod.Get,
                $"{Version}/hostedzone/{Uri.EscapeDataString(zone)}/rrset",
                query,
                null,
                cancellationToken
            )
            .ConfigureAwait(false);
        return Route53Xml.ReadRecordSetsPage(reply.Document);
    }

    private Task<Reply> SendAsync(
        AwsOperation operation,
        string account,
        HttpMethod method,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> query,
        byte[]? body,
        CancellationToken cancellationToken
    )
    {
        var accountOptions = _options.GetAccount(account);
        return runner.RunAsync(
            operation,
            account,
            ct => SendOnceAsync(operation, accountOptions, method, path, query, body, ct),
            cancellationToken
        );
    }

    private async Task<AwsReply<Reply>> SendOnceAsync(
        AwsOperation operation,
        AwsAccountOptions account,
        HttpMethod method,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> query,
        byte[]? body,
        CancellationToken cancellationToken
    )
    {
        var endpoint = _options.Route53Endpoint;
        var uri = new UriBuilder(endpoint)
        {
            Path = path,
            Query = string.Join(
                '&',
                query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))
            ),
        }.Uri;
        using var message = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        }
        var signingCredentials = await credentials.GetCredentials(account).GetCredentialsAsync().ConfigureAwait(false);
        // Signed per attempt: a retry gets a fresh X-Amz-Date.
        SigV4Signer.Sign(
            message,
            body ?? [],
            query,
            SigningService,
            SigningRegion,
            signingCredentials,
            _time.GetUtcNow().UtcDateTime
        );

        using var response = await httpClients
            .CreateClient(HttpClientName)
            .SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var requestId = response.Headers.TryGetValues("x-amz-request-id", out var ids) ? ids.FirstOrDefault() : null;
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
            throw Route53Xml.ReadError(operation, account.Id, status, text, requestId);
        return new AwsReply<Reply>(new Reply(XDocument.Parse(text), requestId), status, requestId);
    }

    internal static string ZoneId(string hostedZoneId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostedZoneId);
        return hostedZoneId.StartsWith("/hostedzone/", StringComparison.Ordinal)
            ? hostedZoneId["/hostedzone/".Length..]
            : hostedZoneId;
    }

    private sealed record Reply(XDocument Document, string? RequestId);
}
