using System.Collections.Immutable;
using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using CutoverEngine.Sandbox.Edge;
using CutoverEngine.Sandbox.World;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Route53;

/// <summary>
/// Route 53's REST/XML API (2013-04-01), the calls a cutover makes: change record sets (all-or-nothing),
/// follow a change to INSYNC, list record sets with paging, find zones by name. Every call counts against
/// the account's single Route 53 quota, as on AWS.
/// </summary>
public sealed class Route53Service(QuotaBook quotas) : IAwsService
{
    static readonly XNamespace Ns = AwsErrors.Route53Ns;
    const string Prefix = "/2013-04-01/";

    public string SigningName => "route53";

    public bool Claims(HttpRequest request) => request.Path.StartsWithSegments("/2013-04-01");

    public string? OperationOf(AwsCall call)
    {
        var (method, segments) = Route(call.Http.Request);
        return (method, segments) switch
        {
            ("POST", ["hostedzone", _, "rrset"]) => "ChangeResourceRecordSets",
            ("GET", ["hostedzone", _, "rrset"]) => "ListResourceRecordSets",
            ("GET", ["hostedzone", _]) => "GetHostedZone",
            ("GET", ["hostedzone"]) => "ListHostedZones",
            ("GET", ["hostedzonesbyname"]) => "ListHostedZonesByName",
            ("GET", ["change", _]) => "GetChange",
            _ => null,
        };
    }

    public TokenBucket? QuotaFor(AwsCall call, string operation) => quotas.Route53(call.Account.Id);

    public Task WriteErrorAsync(AwsCall call, int status, string code, string message) =>
        AwsErrors.WriteRoute53(call.Http, status, code, message, call.RequestId);

    public Task HandleAsync(AwsCall call, string operation)
    {
        var (_, segments) = Route(call.Http.Request);
        return operation switch
        {
            "ChangeResourceRecordSets" => ChangeRecordSets(call, ZoneId(segments[1])),
            "ListResourceRecordSets" => ListRecordSets(call, ZoneId(segments[1])),
            "GetHostedZone" => GetHostedZone(call, ZoneId(segments[1])),
            "ListHostedZones" => ListHostedZones(call, byName: false),
            "ListHostedZonesByName" => ListHostedZones(call, byName: true),
            "GetChange" => GetChange(call, segments[1]),
            _ => WriteErrorAsync(call, 400, "InvalidInput", $"Unsupported operation {operation}"),
        };
    }

    static (string Method, string[] Segments) Route(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            return (request.Method, []);
        return (
            request.Method.ToUpperInvariant(),
            path[Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries)
        );
    }

    /// <summary>Clients send the zone id bare or as /hostedzone/Z...; both name the same zone.</summary>
    static string ZoneId(string raw) => Uri.UnescapeDataString(raw).Replace("/hostedzone/", "");

    static bool TryZone(AwsCall call, string zoneId, out HostedZoneState zone)
    {
        zone = null!;
        return call.Account.Zones.TryGetValue(zoneId, out zone!);
    }

    Task NoSuchZone(AwsCall call, string zoneId) =>
        WriteErrorAsync(call, 404, "NoSuchHostedZone", $"No hosted zone found with ID: {zoneId}");

    // ---- ChangeResourceRecordSets -------------------------------------------------------------------

    async Task ChangeRecordSets(AwsCall call, string zoneId)
    {
        if (!TryZone(call, zoneId, out var zone))
        {
            await NoSuchZone(call, zoneId);
            return;
        }
        ParsedBatch batch;
        try
        {
            batch = ParseBatch(call.Body);
        }
        catch (InvalidInputException e)
        {
            await WriteErrorAsync(call, 400, "InvalidInput", e.Message);
            return;
        }
        if (batch.Problems.Count > 0)
        {
            await AwsErrors.WriteInvalidChangeBatch(call.Http, batch.Problems, call.RequestId);
            return;
        }

        var world = call.World;
        ZoneChange change;
        List<string> problems;
        lock (world.Gate)
        {
            var now = world.Now;
            if (world.Settings.PriorRequestNotComplete && zone.LastChange is { } last && !last.IsInsync(now))
            {
                problems = ["__prior__"];
                change = null!;
            }
            else
            {
                (var after, problems) = Validate(zone, batch.Changes);
                change =
                    problems.Count == 0
                        ? zone.Apply(
                            after,
                            NewChangeId(world),
                            batch.Comment,
                            now,
                            now + TimeSpan.FromSeconds(world.Settings.InsyncDelaySeconds)
                        )
                        : null!;
            }
        }
        if (problems is ["__prior__"])
        {
            await WriteErrorAsync(
                call,
                400,
                "PriorRequestNotComplete",
                "The request was rejected because Route 53 was still processing a prior request."
            );
            return;
        }
        if (problems.Count > 0)
        {
            await AwsErrors.WriteInvalidChangeBatch(call.Http, problems, call.RequestId);
            return;
        }
        await AwsErrors.WriteXml(
            call.Http,
            200,
            new XElement(Ns + "ChangeResourceRecordSetsResponse", ChangeInfo(change, call.World.Now))
        );
    }

    static string NewChangeId(SandboxWorld world) =>
        "C" + world.NewId("").TrimStart('0').ToUpperInvariant().PadLeft(13, '0');

    sealed record ParsedChange(string Action, RecordSet Set);

    sealed record ParsedBatch(string? Comment, List<ParsedChange> Changes, List<string> Problems);

    sealed class InvalidInputException(string message) : Exception(message);

    static readonly HashSet<string> SupportedTypes =
    [
        "A",
        "AAAA",
        "CNAME",
        "MX",
        "NS",
        "PTR",
        "SOA",
        "SPF",
        "SRV",
        "TXT",
        "CAA",
        "NAPTR",
        "DS",
    ];

    /// <summary>Limits per request, as Route 53 documents them: 1,000 ResourceRecord elements and 32,000 value
    /// characters, UPSERT counting twice.</summary>
    public const int MaxRecordsPerRequest = 1000;
    public const int MaxValueCharactersPerRequest = 32000;

    static ParsedBatch ParseBatch(byte[] body)
    {
        XDocument doc;
        try
        {
            doc = XDocument.Load(new MemoryStream(body), LoadOptions.None);
        }
        catch (XmlException e)
        {
            throw new InvalidInputException($"Could not parse the request body as XML: {e.Message}");
        }
        var root = doc.Root;
        if (root is null || root.Name != Ns + "ChangeResourceRecordSetsRequest")
            throw new InvalidInputException(
                $"Expected root element ChangeResourceRecordSetsRequest in namespace {Ns.NamespaceName}"
            );
        var batchEl =
            root.Element(Ns + "ChangeBatch")
            ?? throw new InvalidInputException(
                "1 validation error detected: Value null at 'changeBatch' failed to satisfy constraint: Member must not be null"
            );
        var changesEl = batchEl.Element(Ns + "Changes");
        var changeEls = changesEl?.Elements(Ns + "Change").ToList() ?? [];
        if (changeEls.Count == 0)
            throw new InvalidInputException(
                "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1"
            );

        var changes = new List<ParsedChange>();
        var problems = new List<string>();
        int records = 0,
            characters = 0;
        foreach (var (el, index) in changeEls.Select((e, i) => (e, i)))
        {
            var action = el.Element(Ns + "Action")?.Value ?? "";
            if (action is not ("CREATE" or "DELETE" or "UPSERT"))
                throw new InvalidInputException(
                    $"1 validation error detected: Value '{action}' at 'changeBatch.changes.{index + 1}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [CREATE, DELETE, UPSERT]"
                );
            var rrs =
                el.Element(Ns + "ResourceRecordSet")
                ?? throw new InvalidInputException(
                    $"1 validation error detected: Value null at 'changeBatch.changes.{index + 1}.member.resourceRecordSet' failed to satisfy constraint: Member must not be null"
                );
            if (rrs.Element(Ns + "AliasTarget") is not null || rrs.Element(Ns + "SetIdentifier") is not null)
                throw new InvalidInputException(
                    "The sandbox serves simple routing only: alias and routing-policy record sets are not supported."
                );
            var name = rrs.Element(Ns + "Name")?.Value;
            var type = rrs.Element(Ns + "Type")?.Value;
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(type))
                throw new InvalidInputException(
                    $"Invalid request: Expected Name and Type in changeBatch.changes.{index + 1}.member.resourceRecordSet"
                );
            if (!SupportedTypes.Contains(type))
                throw new InvalidInputException(
                    $"1 validation error detected: Value '{type}' at 'changeBatch.changes.{index + 1}.member.resourceRecordSet.type' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", SupportedTypes)}]"
                );
            var ttlText = rrs.Element(Ns + "TTL")?.Value;
            long ttl = 0;
            if (
                ttlText is not null
                && (
                    !long.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out ttl)
                    || ttl > 2147483647
                )
            )
                throw new InvalidInputException($"Invalid TTL '{ttlText}' in changeBatch.changes.{index + 1}");
            var values =
                rrs.Element(Ns + "ResourceRecords")
                    ?.Elements(Ns + "ResourceRecord")
                    .Select(r => r.Element(Ns + "Value")?.Value ?? "")
                    .ToImmutableArray()
                ?? [];
            var normalized = DnsName.Normalize(name);
            if (ttlText is null)
                problems.Add(
                    $"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action={action}, Name={normalized}, Type={type}, SetIdentifier=null]"
                );
            if (values.Length == 0)
                problems.Add(
                    $"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action={action}, Name={normalized}, Type={type}, SetIdentifier=null]"
                );
            foreach (var v in values)
            {
                var problem = CheckValue(type, v);
                if (problem is not null)
                    problems.Add($"[{problem} encountered with '{v}']");
            }
            var weight = action == "UPSERT" ? 2 : 1;
            records += values.Length * weight;
            characters += values.Sum(v => v.Length) * weight;
            changes.Add(new ParsedChange(action, new RecordSet(normalized, type, ttl, values)));
        }
        if (records > MaxRecordsPerRequest)
            problems.Add($"Number of records limit of {MaxRecordsPerRequest} exceeded.");
        if (characters > MaxValueCharactersPerRequest)
            problems.Add($"Number of characters limit of {MaxValueCharactersPerRequest} exceeded.");
        // Route 53 takes one set twice only as a DELETE followed by a CREATE: how a TTL or a value is replaced with a
        // check that the old one is still there (the DELETE must match it exactly).
        var dupes = changes
            .GroupBy(c => c.Set.Key)
            .Where(g => g.Count() > 1 && !g.Select(c => c.Action).SequenceEqual(["DELETE", "CREATE"]))
            .Select(g => g.Key);
        foreach (var d in dupes)
            problems.Add(
                $"The request contains an invalid set of changes for a resource record set '{d.Type} {d.Name}'"
            );
        return new ParsedBatch(batchEl.Element(Ns + "Comment")?.Value, changes, problems);
    }

    static string? CheckValue(string type, string value) =>
        type switch
        {
            "A"
                when !System.Net.IPAddress.TryParse(value, out var ip)
                    || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
                    || value.Count(c => c == '.') != 3 =>
                "ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)",
            "AAAA"
                when !System.Net.IPAddress.TryParse(value, out var ip6)
                    || ip6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 =>
                "AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address)",
            "TXT" or "SPF" when !value.StartsWith('"') || !value.EndsWith('"') || value.Length < 2 =>
                "Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks)'",
            "MX"
                when value.Split(' ', StringSplitOptions.RemoveEmptyEntries) is not [var pref, _]
                    || !ushort.TryParse(pref, out _) =>
                "Invalid Resource Record: 'FATAL problem: MXRRDATANotTwoFields (MX record must have a preference and a mail server)'",
            _ => null,
        };

    /// <summary>Applies the changes in order to a copy of the zone; any problem rejects the whole batch.</summary>
    static (ImmutableSortedDictionary<RecordKey, RecordSet> After, List<string> Problems) Validate(
        HostedZoneState zone,
        List<ParsedChange> changes
    )
    {
        var after = zone.Current;
        var problems = new List<string>();
        foreach (var c in changes)
        {
            var set = c.Set;
            if (!DnsName.IsInside(set.Name, zone.Name))
            {
                problems.Add($"RRSet with DNS name {set.Name} is not permitted in zone {zone.Name}");
                continue;
            }
            if (set.Type == "SOA" && set.Name != zone.Name || set.Type == "SOA" && c.Action != "UPSERT")
            {
                problems.Add(
                    $"The resource record set with name {set.Name} and type SOA can only be changed with UPSERT at the zone apex"
                );
                continue;
            }
            if (set.Type == "NS" && set.Name == zone.Name && c.Action != "UPSERT")
            {
                problems.Add(
                    $"Tried to {c.Action.ToLowerInvariant()} the NS record set at the zone apex {zone.Name}, which Route 53 manages"
                );
                continue;
            }
            var exists = after.TryGetValue(set.Key, out var current);
            var hasCname = after.ContainsKey(new RecordKey(set.Name, "CNAME"));
            var hasOther = after.Keys.Any(k => k.Name == set.Name && k.Type != "CNAME");
            switch (c.Action)
            {
                case "CREATE" when exists:
                    problems.Add(
                        $"Tried to create resource record set [name='{set.Name}', type='{set.Type}'] but it already exists"
                    );
                    break;
                case "CREATE" or "UPSERT" when set.Type == "CNAME" && hasOther || set.Type != "CNAME" && hasCname:
                    problems.Add(
                        $"RRSet of type {set.Type} with DNS name {set.Name} is not permitted because a conflicting RRSet of type {(set.Type == "CNAME" ? "other than CNAME" : "CNAME")} with the same DNS name already exists in zone {zone.Name}."
                    );
                    break;
                case "CREATE" or "UPSERT":
                    after = after.SetItem(set.Key, set);
                    break;
                case "DELETE" when !exists:
                    problems.Add(
                        $"Tried to delete resource record set [name='{set.Name}', type='{set.Type}'] but it was not found"
                    );
                    break;
                case "DELETE" when !current!.SameValues(set):
                    problems.Add(
                        $"Tried to delete resource record set [name='{set.Name}', type='{set.Type}'] but the values provided do not match the current values"
                    );
                    break;
                case "DELETE":
                    after = after.Remove(set.Key);
                    break;
            }
        }
        return (after, problems);
    }

    static XElement ChangeInfo(ZoneChange change, DateTimeOffset now) =>
        new(
            Ns + "ChangeInfo",
            new XElement(Ns + "Id", "/change/" + change.Id),
            new XElement(Ns + "Status", change.IsInsync(now) ? "INSYNC" : "PENDING"),
            new XElement(Ns + "SubmittedAt", Iso(change.SubmittedAt)),
            change.Comment is null ? null : new XElement(Ns + "Comment", change.Comment)
        );

    static string Iso(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // ---- GetChange ----------------------------------------------------------------------------------

    Task GetChange(AwsCall call, string rawId)
    {
        var id = Uri.UnescapeDataString(rawId).Replace("/change/", "");
        ZoneChange? change;
        lock (call.World.Gate)
            change = call.Account.Zones.Values.SelectMany(z => z.Changes).FirstOrDefault(c => c.Id == id);
        if (change is null)
            return WriteErrorAsync(
                call,
                404,
                "NoSuchChange",
                $"A change with the specified change ID does not exist: {id}"
            );
        return AwsErrors.WriteXml(
            call.Http,
            200,
            new XElement(Ns + "GetChangeResponse", ChangeInfo(change, call.World.Now))
        );
    }

    // ---- ListResourceRecordSets ---------------------------------------------------------------------

    /// <summary>Route 53's page size and its ceiling.</summary>
    public const int MaxRecordSetsPerPage = 300;

    Task ListRecordSets(AwsCall call, string zoneId)
    {
        if (!TryZone(call, zoneId, out var zone))
            return NoSuchZone(call, zoneId);
        var q = call.Http.Request.Query;
        var startName = q["name"].ToString();
        var startType = q["type"].ToString();
        if (startType.Length > 0 && startName.Length == 0)
            return WriteErrorAsync(
                call,
                400,
                "InvalidInput",
                "The input is not valid: you specified a type but no name."
            );
        var max = MaxRecordSetsPerPage;
        if (q["maxitems"].ToString() is { Length: > 0 } m && (!int.TryParse(m, out max) || max < 1))
            return WriteErrorAsync(
                call,
                400,
                "InvalidInput",
                $"1 validation error detected: Value '{m}' at 'maxItems' failed to satisfy constraint: Member must be a positive integer"
            );
        max = Math.Min(max, MaxRecordSetsPerPage);

        ImmutableSortedDictionary<RecordKey, RecordSet> records;
        lock (call.World.Gate)
            records = zone.Current;
        IEnumerable<RecordSet> page = records.Values;
        if (startName.Length > 0)
        {
            var start = new RecordKey(DnsName.Normalize(startName), startType.Length > 0 ? startType : "");
            page = page.Where(r => Route53RecordOrder.Instance.Compare(r.Key, start) >= 0);
        }
        var taken = page.Take(max + 1).ToList();
        var truncated = taken.Count > max;
        var next = truncated ? taken[max] : null;
        var response = new XElement(
            Ns + "ListResourceRecordSetsResponse",
            new XElement(Ns + "ResourceRecordSets", taken.Take(max).Select(RecordSetXml)),
            new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
            next is null ? null : new XElement(Ns + "NextRecordName", next.Name),
            next is null ? null : new XElement(Ns + "NextRecordType", next.Type),
            new XElement(Ns + "MaxItems", max.ToString(CultureInfo.InvariantCulture))
        );
        return AwsErrors.WriteXml(call.Http, 200, response);
    }

    static XElement RecordSetXml(RecordSet r) =>
        new(
            Ns + "ResourceRecordSet",
            new XElement(Ns + "Name", r.Name),
            new XElement(Ns + "Type", r.Type),
            new XElement(Ns + "TTL", r.Ttl.ToString(CultureInfo.InvariantCulture)),
            new XElement(
                Ns + "ResourceRecords",
                r.Values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v)))
            )
        );

    // ---- Hosted zones -------------------------------------------------------------------------------

    static XElement HostedZoneXml(HostedZoneState z, int recordCount) =>
        new(
            Ns + "HostedZone",
            new XElement(Ns + "Id", "/hostedzone/" + z.Id),
            new XElement(Ns + "Name", z.Name),
            new XElement(Ns + "CallerReference", "sandbox-" + z.Id),
            new XElement(Ns + "Config", new XElement(Ns + "PrivateZone", "false")),
            new XElement(Ns + "ResourceRecordSetCount", recordCount.ToString(CultureInfo.InvariantCulture))
        );

    Task GetHostedZone(AwsCall call, string zoneId)
    {
        if (!TryZone(call, zoneId, out var zone))
            return NoSuchZone(call, zoneId);
        int count;
        lock (call.World.Gate)
            count = zone.Current.Count;
        return AwsErrors.WriteXml(
            call.Http,
            200,
            new XElement(
                Ns + "GetHostedZoneResponse",
                HostedZoneXml(zone, count),
                new XElement(
                    Ns + "DelegationSet",
                    new XElement(Ns + "NameServers", new XElement(Ns + "NameServer", "ns-1.sandbox.cutover.invalid"))
                )
            )
        );
    }

    /// <summary>ListHostedZonesByName orders zones by their reversed labels, then id; ListHostedZones by id with a
    /// marker.</summary>
    Task ListHostedZones(AwsCall call, bool byName)
    {
        var q = call.Http.Request.Query;
        var max = 100;
        if (q["maxitems"].ToString() is { Length: > 0 } m && (!int.TryParse(m, out max) || max < 1))
            return WriteErrorAsync(
                call,
                400,
                "InvalidInput",
                $"1 validation error detected: Value '{m}' at 'maxItems' failed to satisfy constraint: Member must be a positive integer"
            );
        max = Math.Min(max, 100);
        List<(HostedZoneState Zone, int Count)> zones;
        lock (call.World.Gate)
            zones = [.. call.Account.Zones.Values.Select(z => (z, z.Current.Count))];

        if (byName)
        {
            var dnsName = q["dnsname"].ToString();
            var zoneId = q["hostedzoneid"].ToString();
            if (zoneId.Length > 0 && dnsName.Length == 0)
                return WriteErrorAsync(
                    call,
                    400,
                    "InvalidInput",
                    "The input is not valid: hostedzoneid requires dnsname."
                );
            var ordered = zones
                .OrderBy(z => z.Zone.Name, Comparer<string>.Create(Route53RecordOrder.CompareNames))
                .ThenBy(z => z.Zone.Id, StringComparer.Ordinal)
                .ToList();
            IEnumerable<(HostedZoneState Zone, int Count)> from = ordered;
            if (dnsName.Length > 0)
            {
                var start = DnsName.Normalize(dnsName);
                var bareId = zoneId.Replace("/hostedzone/", "");
                from = ordered.Where(z =>
                    Route53RecordOrder.CompareNames(z.Zone.Name, start) > 0
                    || Route53RecordOrder.CompareNames(z.Zone.Name, start) == 0
                        && string.CompareOrdinal(z.Zone.Id, bareId) >= 0
                );
            }
            var taken = from.Take(max + 1).ToList();
            var truncated = taken.Count > max;
            return AwsErrors.WriteXml(
                call.Http,
                200,
                new XElement(
                    Ns + "ListHostedZonesByNameResponse",
                    new XElement(Ns + "HostedZones", taken.Take(max).Select(z => HostedZoneXml(z.Zone, z.Count))),
                    dnsName.Length > 0 ? new XElement(Ns + "DNSName", dnsName) : null,
                    zoneId.Length > 0 ? new XElement(Ns + "HostedZoneId", zoneId) : null,
                    new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
                    truncated ? new XElement(Ns + "NextDNSName", taken[max].Zone.Name) : null,
                    truncated ? new XElement(Ns + "NextHostedZoneId", taken[max].Zone.Id) : null,
                    new XElement(Ns + "MaxItems", max.ToString(CultureInfo.InvariantCulture))
                )
            );
        }
        else
        {
            var marker = q["marker"].ToString();
            var ordered = zones
                .OrderBy(z => z.Zone.Id, StringComparer.Ordinal)
                .Where(z => marker.Length == 0 || string.CompareOrdinal(z.Zone.Id, marker) >= 0)
                .ToList();
            var taken = ordered.Take(max + 1).ToList();
            var truncated = taken.Count > max;
            return AwsErrors.WriteXml(
                call.Http,
                200,
                new XElement(
                    Ns + "ListHostedZonesResponse",
                    new XElement(Ns + "HostedZones", taken.Take(max).Select(z => HostedZoneXml(z.Zone, z.Count))),
                    new XElement(Ns + "Marker", marker),
                    new XElement(Ns + "IsTruncated", truncated ? "true" : "false"),
                    truncated ? new XElement(Ns + "NextMarker", taken[max].Zone.Id) : null,
                    new XElement(Ns + "MaxItems", max.ToString(CultureInfo.InvariantCulture))
                )
            );
        }
    }
}
