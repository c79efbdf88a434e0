using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Preparation;

/// <summary>
/// The sending domain's one SPF record in its TXT set, as prepare and finalise read and rewrite it: found only when
/// the set holds exactly one (RFC 7208 3.2), and written back as one conditional batch that replaces that value and
/// keeps the set's other strings.
/// </summary>
public sealed record SendingDomainSpf(string Domain, ResourceRecordSet Set, string Value)
{
    /// <summary>The record's text, its strings joined.</summary>
    public string Text => TxtValue.Join(Value);

    /// <summary>The record, or why there is none to change (and the SPF texts seen, for the journal).</summary>
    public static async Task<(SendingDomainSpf? Found, string Seen, string? Why)> FindAsync(
        IRoute53Gateway route53,
        CutoverEnvironment e,
        CancellationToken ct
    )
    {
        var domain = e.SendingDomain.TrimEnd('.');
        var set = await route53.FindRecordSetAsync(e.Account.Id, e.HostedZone.Id, domain, "TXT", ct);
        if (set is null)
            return (null, "", $"{domain} has no TXT record in zone {e.HostedZone.Name}: publish an SPF record first");
        var spf = set.Values.Where(v => SpfRecord.IsSpf(TxtValue.Join(v))).ToList();
        if (spf.Count != 1)
            return (
                null,
                string.Join(" | ", spf.Select(TxtValue.Join)),
                $"{domain} has {spf.Count} SPF records in its TXT set; exactly one is allowed (RFC 7208 3.2)"
            );
        return (new SendingDomainSpf(domain, set, spf[0]), TxtValue.Join(spf[0]), null);
    }

    /// <summary>Writes <paramref name="text"/> in place of the record read, refused if the set changed since.</summary>
    public Task WriteAsync(
        IRoute53Gateway route53,
        CutoverEnvironment e,
        string text,
        string comment,
        CancellationToken ct
    )
    {
        var values = Set.Values.Select(v => v == Value ? TxtValue.Format(text) : v).ToArray();
        return ConditionalZoneWrite.WriteAsync(
            route53,
            e.Account.Id,
            e.HostedZone.Id,
            [RecordSetChange.Delete(Set), RecordSetChange.Create(Set with { Values = values })],
            comment,
            ct
        );
    }
}
