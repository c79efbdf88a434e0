using System.Xml.Linq;
using Amazon.Runtime;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Cli.Doctor;

/// <summary>
/// Route 53 read calls for `cutover doctor`, signed like the gateway's (<see cref="SigV4Signer"/>) but sent once and
/// answered as they come: the doctor wants AWS's verdict (AccessDenied, NoSuchHostedZone), not retries around it.
/// </summary>
public sealed class Route53Probe(HttpClient http, AwsOptions options)
{
    static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>What came back: the document on success, else AWS's error code and message.</summary>
    public sealed record Answer(XDocument? Document, string? ErrorCode, string? Message)
    {
        public bool Succeeded => Document is not null;

        /// <summary>The values of the NS record sets in the answer (ListResourceRecordSets of the zone apex).</summary>
        public IEnumerable<string> NameServers =>
            Document
                ?.Descendants(Ns + "ResourceRecordSet")
                .Where(r => (string?)r.Element(Ns + "Type") == "NS")
                .SelectMany(r => r.Descendants(Ns + "Value"))
                .Select(v => v.Value)
            ?? [];
    }

    public async Task<Answer> GetAsync(
        AWSCredentials credentials,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> query,
        CancellationToken ct
    )
    {
        var uri = new UriBuilder(options.Route53Endpoint)
        {
            Path = path,
            Query = string.Join(
                '&',
                query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))
            ),
        }.Uri;
        using var message = new HttpRequestMessage(HttpMethod.Get, uri);
        SigV4Signer.Sign(
            message,
            [],
            query,
            "route53",
            "us-east-1",
            await credentials.GetCredentialsAsync(),
            DateTime.UtcNow
        );
        using var response = await http.SendAsync(message, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        XDocument? doc = null;
        try
        {
            doc = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException) { }
        if (response.IsSuccessStatusCode && doc is not null)
            return new Answer(doc, null, null);
        var code =
            doc?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value
            ?? $"HTTP {(int)response.StatusCode}";
        var said = doc?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? text;
        return new Answer(null, code, said);
    }
}
