using System.Net;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Planning;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Preparation;

/// <summary>
/// The two changes prepare makes to an environment's zone, days before its window: the TTL of every record the
/// cutover will rewrite (<see cref="CutoverRecords"/>) lowered to <see cref="PrepareOptions.Ttl"/>, and the new
/// addresses pre-authorised in the sending domain's SPF record. Each change is written as one Route 53 batch that
/// DELETEs the exact value read and CREATEs the new one: Route 53 applies it all or nothing, and refuses it when the
/// value differs from what was read, so a record someone changed meanwhile is never overwritten. What a change
/// replaces is remembered in <see cref="PrepareStore"/> before it is written; a replay reads the record again and
/// writes nothing already in place.
/// </summary>
public sealed class EnvironmentPreparer(
    IRoute53Gateway route53,
    DnsQueries dns,
    PrepareStore store,
    PrepareOptions options,
    IOptions<VerificationOptions> verification,
    TimeProvider clock
)
{
    /// <summary>The DNS the SPF fit check counts lookups on, per zone: the zone's authoritative servers and the
    /// resolver (a test gives tables).</summary>
    public Func<string, ISpfDns> SpfDnsOf { get; init; } = zone => new SpfDnsQueries(dns, zone);

    public async Task<IReadOnlyList<TtlLowering>> LowerTtlsAsync(CutoverEnvironment e, CancellationToken ct)
    {
        var account = e.Account.Id;
        var target = (long)options.Ttl.TotalSeconds;
        var changes = new List<RecordSetChange>();
        var seen = new List<ResourceRecordSet>();
        foreach (var r in CutoverRecords.ChangedBy(e))
        {
            // A missing record (or an alias without a TTL) is preflight's to refuse; readiness reports it.
            if (
                await route53.FindRecordSetAsync(account, e.HostedZone.Id, r.Name, r.Type, ct)
                is not { Ttl: { } ttl } live
            )
                continue;
            await store.RememberTtlAsync(e.Id, r.Name, r.Type, ttl, Math.Min(ttl, target), clock.GetUtcNow(), ct);
            seen.Add(live);
            if (ttl > target)
                changes.AddRange([RecordSetChange.Delete(live), RecordSetChange.Create(live with { Ttl = target })]);
        }
        if (changes.Count > 0)
            await WriteAsync(account, e.HostedZone.Id, changes, $"prepare {e.Id}: TTLs to {target} s", ct);
        var now = clock.GetUtcNow();
        var remembered = await store.TtlsAsync(e.Id, ct);
        var lowerings = new List<TtlLowering>();
        foreach (var live in seen)
        {
            var memory = remembered.First(m => Same(m.Name, live.Name) && m.Type == live.Type);
            // A record that was low already has been low for longer than its TTL: nothing to wait for.
            var at = memory.OriginalTtl > target ? now : now - TimeSpan.FromSeconds(memory.OriginalTtl);
            await store.MarkLoweredAsync(e.Id, live.Name, live.Type, at, ct);
            lowerings.Add(
                new TtlLowering(
                    live.Name,
                    live.Type,
                    memory.OriginalTtl,
                    Math.Min(live.Ttl!.Value, target),
                    live.Ttl > target
                )
            );
        }
        return lowerings;
    }

    public async Task<SpfPreparation> AuthoriseSpfAsync(CutoverEnvironment e, CancellationToken ct)
    {
        var domain = e.SendingDomain.TrimEnd('.');
        SpfPreparation Refuse(string before, string why) => new(domain, before, before, [], why, Written: false);
        if (!IsInZone(domain, e.HostedZone.Name))
            return Refuse(
                "",
                $"the sending domain {domain} is not in zone {e.HostedZone.Name}, whose records prepare writes"
            );
        var (record, seen, missing) = await SendingDomainSpf.FindAsync(route53, e, ct);
        if (record is null)
            return Refuse(seen, missing!);
        var before = record.Text;
        SpfRewrite rewrite;
        try
        {
            rewrite = SpfAuthorisation.Authorise(before, domain, NewAddresses(e));
        }
        catch (SpfPermErrorException x)
        {
            return Refuse(before, $"the SPF record of {domain} is not valid: {x.Message}");
        }
        if (rewrite.Added.Count == 0)
            return new SpfPreparation(domain, before, before, [], null, Written: false);
        var why = await SpfAuthorisation.WhyItCannotFitAsync(
            rewrite,
            domain,
            SpfDnsOf(e.HostedZone.Name),
            verification.Value.SpfLookupLimit,
            options.SpfMaxLength,
            ct
        );
        if (why is not null)
            return Refuse(before, why);
        var now = clock.GetUtcNow();
        foreach (var mechanism in rewrite.Added)
            await store.RememberSpfAsync(new AddedSpfMechanism(e.Id, domain, mechanism, before, now), ct);
        await record.WriteAsync(
            route53,
            e,
            rewrite.After,
            $"prepare {e.Id}: SPF pre-authorises {string.Join(" ", rewrite.Added)}",
            ct
        );
        return new SpfPreparation(domain, before, rewrite.After, rewrite.Added, null, Written: true);
    }

    /// <summary>The addresses the environment sends from after its cutover.</summary>
    public static IReadOnlyList<IPAddress> NewAddresses(CutoverEnvironment e) =>
        [.. e.MtaHosts.Select(h => h.Target.Address)];

    Task WriteAsync(
        string account,
        string zoneId,
        List<RecordSetChange> changes,
        string comment,
        CancellationToken ct
    ) => ConditionalZoneWrite.WriteAsync(route53, account, zoneId, changes, comment, ct);

    static bool IsInZone(string name, string zone) =>
        Same(name, zone) || name.TrimEnd('.').EndsWith("." + zone.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    static bool Same(string a, string b) =>
        string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
