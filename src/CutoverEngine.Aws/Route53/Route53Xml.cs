using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CutoverEngine.Aws.Route53;

/// <summary>Route 53's REST/XML shapes (API 2013-04-01), written and read as the service model orders them.</summary>
public static class Route53Xml
{
    public static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>The body of ChangeResourceRecordSets.</summary>
    public static byte[] WriteChangeBatch(ChangeBatch batch)
    {
        var changes = new XElement(
            Ns + "Changes",
            batch.Changes.Select(c => new XElement(
                Ns + "Change",
                new XElement(Ns + "Action", c.Action.ToString().ToUpperInvariant()),
                WriteRecordSet(c.RecordSet)
            ))
        );
        var changeBatch = new XElement(Ns + "ChangeBatch");
        if (!string.IsNullOrEmpty(batch.Comment))
            changeBatch.Add(new XElement(Ns + "Comment", batch.Comment));
        changeBatch.Add(changes);
        var doc = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(Ns + "ChangeResourceRecordSetsRequest", changeBatch)
        );
        using var buffer = new MemoryStream();
        using (
            var writer = XmlWriter.Create(
                buffer,
                new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }
            )
        )
            doc.Save(writer);
        return buffer.ToArray();
    }

    // Model order: Name, Type, SetIdentifier, ..., TTL, ResourceRecords.
    private static XElement WriteRecordSet(ResourceRecordSet set)
    {
        var e = new XElement(
            Ns + "ResourceRecordSet",
            new XElement(Ns + "Name", set.Name),
            new XElement(Ns + "Type", set.Type.ToUpperInvariant())
        );
        if (set.SetIdentifier is not null)
            e.Add(new XElement(Ns + "SetIdentifier", set.SetIdentifier));
        if (set.Ttl is { } ttl)
            e.Add(new XElement(Ns + "TTL", ttl.ToString(CultureInfo.InvariantCulture)));
        e.Add(
            new XElement(
                Ns + "ResourceRecords",
                set.Values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v)))
            )
        );
        return e;
    }

    /// <summary>ChangeInfo from a ChangeResourceRecordSets or GetChange response.</summary>
    public static ChangeInfo ReadChangeInfo(XDocument doc)
    {
        var info = doc.Root?.Element(Ns + "ChangeInfo") ?? throw Malformed("ChangeInfo", doc);
        return new ChangeInfo(
            TrimPrefix(Required(info, "Id"), "/change/"),
            Required(info, "Status") switch
            {
                "PENDING" => ChangeStatus.Pending,
                "INSYNC" => ChangeStatus.InSync,
                var s => throw new FormatException($"Route 53 returned an unknown change status '{s}'."),
            },
            DateTimeOffset.Parse(
                Required(info, "SubmittedAt"),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal
            ),
            info.Element(Ns + "Comment")?.Value
        );
    }

    /// <summary>One page of ListResourceRecordSets.</summary>
    public static RecordSetsPage ReadRecordSetsPage(XDocument doc)
    {
        var root = doc.Root ?? throw Malformed("ListResourceRecordSetsResponse", doc);
        var sets = (root.Element(Ns + "ResourceRecordSets")?.Elements(Ns + "ResourceRecordSet") ?? [])
            .Select(ReadRecordSet)
            .ToList();
        var truncated = bool.Parse(root.Element(Ns + "IsTruncated")?.Value ?? "false");
        return new RecordSetsPage(
            sets,
            truncated,
            root.Element(Ns + "NextRecordName")?.Value,
            root.Element(Ns + "NextRecordType")?.Value,
            root.Element(Ns + "NextRecordIdentifier")?.Value
        );
    }

    private static ResourceRecordSet ReadRecordSet(XElement e) =>
        new(
            Required(e, "Name"),
            Required(e, "Type"),
            e.Element(Ns + "TTL") is { } ttl ? long.Parse(ttl.Value, CultureInfo.InvariantCulture) : null,
            (e.Element(Ns + "ResourceRecords")?.Elements(Ns + "ResourceRecord") ?? [])
                .Select(r => r.Element(Ns + "Value")?.Value ?? "")
                .ToList()
        )
        {
            SetIdentifier = e.Element(Ns + "SetIdentifier")?.Value,
        };

    /// <summary>
    /// The error in a non-2xx answer: <c>ErrorResponse</c> > <c>Error</c> > (Code, Message) or the
    /// <c>InvalidChangeBatch</c> root with its messages. Bodies that are not XML (a proxy's page, an empty 503)
    /// still yield an error with the HTTP status, which is what decides retrying.
    /// </summary>
    public static AwsServiceException ReadError(
        AwsOperation operation,
        string account,
        int status,
        string body,
        string? headerRequestId
    )
    {
        XElement? root = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(body))
                root = XDocument.Parse(body).Root;
        }
        catch (XmlException) { }
        // Some answers carry no namespace; match on local names.
        string? Child(XElement? e, string name) => e?.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value;
        var requestId = Child(root, "RequestId") ?? headerRequestId;

        if (root?.Name.LocalName == "InvalidChangeBatch")
        {
            var messages =
                root.Elements()
                    .FirstOrDefault(c => c.Name.LocalName == "Messages")
                    ?.Elements()
                    .Where(m => m.Name.LocalName == "Message")
                    .Select(m => m.Value)
                    .ToList()
                ?? [];
            if (messages.Count == 0 && Child(root, "message") is { } single)
                messages.Add(single);
            return new Route53InvalidChangeBatchException(operation, account, messages, status, requestId);
        }

        var error =
            root?.Name.LocalName == "ErrorResponse"
                ? root.Elements().FirstOrDefault(c => c.Name.LocalName == "Error")
                : null;
        var code = Child(error, "Code");
        var message = Child(error, "Message") ?? "";
        if (code == "InvalidChangeBatch")
            return new Route53InvalidChangeBatchException(operation, account, [message], status, requestId);
        if (code is null)
        {
            code =
                status >= 500 ? "ServiceUnavailable"
                : status == 429 ? "Throttling"
                : "UnknownError";
            message = $"HTTP {status} without an AWS error document: {Truncate(body, 200)}";
        }
        return new AwsServiceException(operation, account, code, message, status, requestId);
    }

    private static string Required(XElement parent, string name) =>
        parent.Element(Ns + name)?.Value
        ?? throw new FormatException($"Route 53 answer lacks <{name}> in <{parent.Name.LocalName}>.");

    private static FormatException Malformed(string expected, XDocument doc) =>
        new($"Route 53 answer is not a {expected}: {Truncate(doc.ToString(), 200)}");

    private static string TrimPrefix(string value, string prefix) =>
        value.StartsWith(prefix, StringComparison.Ordinal) ? value[prefix.Length..] : value;

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "...";
}

public sealed record RecordSetsPage(
    IReadOnlyList<ResourceRecordSet> RecordSets,
    bool IsTruncated,
    string? NextRecordName,
    string? NextRecordType,
    string? NextRecordIdentifier
);
