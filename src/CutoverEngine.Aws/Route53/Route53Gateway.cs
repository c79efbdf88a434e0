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
    TimeProvider? time = null) : IRoute53Gateway
{
    /// <summary>The IHttpClientFactory name of Route 53's HttpClient.</summary>
    public const string HttpClientName = "CutoverEngine.Aws.Route53";

    /// <summary>Route 53 is global; SigV4 signs it for us-east-1.</summary>
    public const string SigningRegion = "us-east-1";
    public const string SigningService = "route53";

    // Up to this many changes, each set is looked up on its own; beyond it, reading the whole zone costs fewer requests.
    private const int MaxSingleLookups = 5;
    private const string Version = "/2013-04-01";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly AwsOptions _options = options.Value;

    public async Task<ChangeInfo> ChangeRecordSetsAsync(string account, string hostedZoneId, ChangeBatch batch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.EnsureWithinLimits();
        var zone = ZoneId(hostedZoneId);

        var (toSend, alreadyLive) = await SplitAlreadyLiveAsync(account, zone, batch, cancellationToken).ConfigureAwait(false);
        if (toSend.Count == 0)
        {
            runner.RecordAlreadyInPlace(AwsOperations.ChangeResourceRecordSets, account,
                $"zone {zone}: all {alreadyLive.Count} change(s) already live, nothing sent: {string.Join("; ", alreadyLive)}");
            return new ChangeInfo(null, ChangeStatus.InSync, _time.GetUtcNow(), batch.Comment)
            {
                AlreadyInPlace = true,
                AlreadyLive = alreadyLive,
            };
        }
        if (alreadyLive.Count > 0)
            runner.RecordAlreadyInPlace(AwsOperations.ChangeResourceRecordSets, account,
                $"zone {zone}: {alreadyLive.Count} change(s) already live and left out of the batch: {string.Join("; ", alreadyLive)}");

        var sent = await SubmitChangeBatchAsync(account, zone, batch with { Changes = toSend }, cancellationToken).ConfigureAwait(false);
        return sent with { AlreadyLive = alreadyLive };
    }

    public async Task<ChangeInfo> SubmitChangeBatchAsync(string account, string hostedZoneId, ChangeBatch batch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.EnsureWithinLimits();
        var zone = ZoneId(hostedZoneId);
        var body = Route53Xml.WriteChangeBatch(batch);
        var reply = await SendAsync(AwsOperations.ChangeResourceRecordSets, account, HttpMethod.Post,
            $"{Version}/hostedzone/{Uri.EscapeDataString(zone)}/rrset/", [], body, cancellationToken).ConfigureAwait(false);
        return Route53Xml.ReadChangeInfo(reply.Document) with { RequestId = reply.RequestId };
    }

    public async Task<ChangeInfo> GetChangeAsync(string account, string changeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(changeId);
        var id = changeId.StartsWith("/change/", StringComparison.Ordinal) ? changeId["/change/".Length..] : changeId;
        var reply = await SendAsync(AwsOperations.GetChange, account, HttpMethod.Get,
            $"{Version}/change/{Uri.EscapeDataString(id)}", [], null, cancellationToken).ConfigureAwait(false);
        return Route53Xml.ReadChangeInfo(reply.Document) with { RequestId = reply.RequestId };
    }

    /// <summary>How often <see cref="WaitForInSyncAsync"/> polls by default: 2 s.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long <see cref="WaitForInSyncAsync"/> waits by default: 5 min.</summary>
    public static readonly TimeSpan DefaultInSyncTimeout = TimeSpan.FromMinutes(5);

    public async Task<ChangeInfo> WaitForInSyncAsync(string account, ChangeInfo change, TimeSpan? pollInterval = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.AlreadyInPlace || change.Status == ChangeStatus.InSync) return change;
        var id = change.Id ?? throw new ArgumentException("The change has no id.", nameof(change));
        var interval = pollInterval ?? DefaultPollInterval;
        var limit = timeout ?? DefaultInSyncTimeout;
        var started = _time.GetTimestamp();
        while (true)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            var current = await GetChangeAsync(account, id, cancellationToken).ConfigureAwait(false);
            if (current.Status == ChangeStatus.InSync) return current with { AlreadyLive = change.AlreadyLive };
            if (_time.GetElapsedTime(started) >= limit)
                throw new TimeoutException(
                    $"Route 53 change {id} in account {account} was still {current.Status} after {limit} (submitted {current.SubmittedAt:O}).");
        }
    }

    public async Task<IReadOnlyList<ResourceRecordSet>> ListRecordSetsAsync(string account, string hostedZoneId,
        CancellationToken cancellationToken = default)
    {
        var zone = ZoneId(hostedZoneId);
        var all = new List<ResourceRecordSet>();
        var query = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var page = await ListPageAsync(account, zone, query, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.RecordSets);
            if (!page.IsTruncated) return all;
            if (page.NextRecordName is null)
                throw new FormatException($"Route 53 said the record sets of zone {zone} continue but named no next record.");
            query = [new("name", page.NextRecordName)];
            if (page.NextRecordType is not null) query.Add(new("type", page.NextRecordType));
            if (page.NextRecordIdentifier is not null) query.Add(new("identifier", page.NextRecordIdentifier));
        }
    }

    public async Task<ResourceRecordSet?> FindRecordSetAsync(string account, string hostedZoneId, string name, string type,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        var wanted = new ResourceRecordSet(name, type, null, []);
        // Listing starts at (name, type) in Route 53's order; the first set is the one asked for, if it exists.
        var page = await ListPageAsync(account, ZoneId(hostedZoneId),
            [new("name", name), new("type", type.ToUpperInvariant()), new("maxitems", "1")], cancellationToken).ConfigureAwait(false);
        return page.RecordSets.FirstOrDefault(s => s.IsSameSetAs(wanted));
    }

    public async Task<HostedZone?> FindHostedZoneAsync(string account, string zoneName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zoneName);
        var wanted = DnsNames.Normalize(zoneName);
        var matches = new List<HostedZone>();
        var query = new List<KeyValuePair<string, string>> { new("dnsname", wanted), new("maxitems", "100") };
        while (true)
        {
            var reply = await SendAsync(AwsOperations.ListHostedZonesByName, account, HttpMethod.Get,
                $"{Version}/hostedzonesbyname", query, null, cancellationToken).ConfigureAwait(false);
            var page = Route53Xml.ReadHostedZonesPage(reply.Document);
            // Zones come sorted by name, so once a page holds a later name there are no more matches.
            matches.AddRange(page.HostedZones.Where(z => DnsNames.Normalize(z.Name) == wanted));
            var passed = page.HostedZones.Any(z => string.CompareOrdinal(DnsNames.Normalize(z.Name), wanted) != 0);
            if (!page.IsTruncated || passed || page.NextDnsName is null) break;
            query = [new("dnsname", page.NextDnsName), new("maxitems", "100")];
            if (page.NextHostedZoneId is not null) query.Add(new("hostedzoneid", page.NextHostedZoneId));
        }

        var candidates = matches.Count > 1 ? matches.Where(z => !z.IsPrivate).ToList() : matches;
        return candidates.Count switch
        {
            0 => matches.FirstOrDefault(),
            1 => candidates[0],
            _ => throw new InvalidOperationException(
                $"Account {account} has {candidates.Count} public hosted zones named {wanted} ({string.Join(", ", candidates.Select(z => z.Id))}); name the zone by id."),
        };
    }

    private async Task<RecordSetsPage> ListPageAsync(string account, string zone, List<KeyValuePair<string, string>> query,
        CancellationToken cancellationToken)
    {
        var reply = await SendAsync(AwsOperations.ListResourceRecordSets, account, HttpMethod.Get,
            $"{Version}/hostedzone/{Uri.EscapeDataString(zone)}/rrset", query, null, cancellationToken).ConfigureAwait(false);
        return Route53Xml.ReadRecordSetsPage(reply.Document);
    }

    /// <summary>Which changes the zone already reflects; a crashed-and-rerun step then sends only what is missing.</summary>
    private async Task<(List<RecordSetChange> ToSend, List<RecordSetChange> AlreadyLive)> SplitAlreadyLiveAsync(
        string account, string zone, ChangeBatch batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<ResourceRecordSet> live;
        if (batch.Changes.Count <= MaxSingleLookups)
        {
            var found = new List<ResourceRecordSet>();
            foreach (var change in batch.Changes.DistinctBy(c => (DnsNames.Normalize(c.RecordSet.Name), c.RecordSet.Type.ToUpperInvariant())))
                if (await FindRecordSetAsync(account, zone, change.RecordSet.Name, change.RecordSet.Type, cancellationToken).ConfigureAwait(false) is { } set)
                    found.Add(set);
            live = found;
        }
        else
        {
            live = await ListRecordSetsAsync(account, zone, cancellationToken).ConfigureAwait(false);
        }

        var toSend = new List<RecordSetChange>();
        var alreadyLive = new List<RecordSetChange>();
        foreach (var change in batch.Changes)
            (change.IsSatisfiedBy(live) ? alreadyLive : toSend).Add(change);
        return (toSend, alreadyLive);
    }

    private Task<Reply> SendAsync(AwsOperation operation, string account, HttpMethod method, string path,
        IReadOnlyList<KeyValuePair<string, string>> query, byte[]? body, CancellationToken cancellationToken)
    {
        var accountOptions = _options.GetAccount(account);
        return runner.RunAsync(operation, account,
            ct => SendOnceAsync(operation, accountOptions, method, path, query, body, ct), cancellationToken);
    }

    private async Task<AwsReply<Reply>> SendOnceAsync(AwsOperation operation, AwsAccountOptions account, HttpMethod method,
        string path, IReadOnlyList<KeyValuePair<string, string>> query, byte[]? body, CancellationToken cancellationToken)
    {
        var endpoint = _options.Route53Endpoint;
        var uri = new UriBuilder(endpoint)
        {
            Path = path,
            Query = string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))),
        }.Uri;
        using var message = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        }
        var signingCredentials = await credentials.GetCredentials(account).GetCredentialsAsync().ConfigureAwait(false);
        // Signed per attempt: a retry gets a fresh X-Amz-Date.
        SigV4Signer.Sign(message, body ?? [], query, SigningService, SigningRegion, signingCredentials, _time.GetUtcNow().UtcDateTime);

        using var response = await httpClients.CreateClient(HttpClientName)
            .SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
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
        return hostedZoneId.StartsWith("/hostedzone/", StringComparison.Ordinal) ? hostedZoneId["/hostedzone/".Length..] : hostedZoneId;
    }

    private sealed record Reply(XDocument Document, string? RequestId);
}
