using System.Net;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Planning;
using CutoverEngine.Engine.Preparation;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>
/// What finalise does to one environment's zone once its cutover has soaked: the TTLs prepare lowered back to the
/// values it remembered, and the old data-centre addresses out of the sending domain's SPF record; and what it only
/// reads: who announces a BYOIP range (the data centre must have stopped), and which old addresses are unused now.
/// Every write is conditional on the value read (<see cref="ConditionalZoneWrite"/>) and every step reads the live
/// record first, so a replay after a crash writes nothing already in place.
/// </summary>
public sealed class EnvironmentFinaliser(
    IRoute53Gateway route53,
    PrepareStore prepared,
    IRouteOrigins routes,
    FinaliseOptions options
)
{
    /// <summary>For a BYOIP environment, whether only AWS announces its range now; null for Elastic IPs.</summary>
    public async Task<RangeConfirmation?> ConfirmRangeAsync(CutoverEnvironment e, CancellationToken ct)
    {
        if (e is not { IpStrategy: IpStrategy.Byoip, ByoipCidr: { } cidr })
            return null;
        var seen = await routes.AnnouncementOfAsync(cidr, ct);
        var others = seen.OriginAsns.Where(a => !options.AwsAsns.Contains(a)).ToList();
        string? why =
            others.Count > 0
                ? $"{cidr} is still announced from AS{string.Join(", AS", others)} as well as AWS: the data centre must withdraw it before finalise"
            : !seen.Announced || seen.OriginAsns.Count == 0
                ? $"{cidr} is not announced at all: AWS should advertise it after the cutover"
            : null;
        return new RangeConfirmation(cidr.ToString(), seen.OriginAsns, why is null, why);
    }

    public async Task<IReadOnlyList<TtlRestore>> RestoreTtlsAsync(CutoverEnvironment e, CancellationToken ct)
    {
        var restores = new List<TtlRestore>();
        var changes = new List<RecordSetChange>();
        foreach (var memory in await prepared.TtlsAsync(e.Id, ct))
        {
            if (memory.OriginalTtl <= memory.LoweredTo)
                continue; // prepare found it low already: nothing was lowered
            var live = await route53.FindRecordSetAsync(e.Account.Id, e.HostedZone.Id, memory.Name, memory.Type, ct);
            if (live is not { Ttl: { } ttl })
            {
                restores.Add(Note(memory, memory.LoweredTo, "the record is gone: nothing to restore"));
                continue;
            }
            if (ttl == memory.OriginalTtl)
            {
                restores.Add(Note(memory, ttl, null));
                continue;
            }
            if (ttl != memory.LoweredTo)
            {
                restores.Add(
                    Note(
                        memory,
                        ttl,
                        $"its TTL is {ttl} s now, not the {memory.LoweredTo} s prepare wrote: left as found"
                    )
                );
                continue;
            }
            changes.AddRange([
                RecordSetChange.Delete(live),
                RecordSetChange.Create(live with { Ttl = memory.OriginalTtl }),
            ]);
            restores.Add(new TtlRestore(memory.Name, memory.Type, ttl, memory.OriginalTtl, true, null));
        }
        if (changes.Count > 0)
            await ConditionalZoneWrite.WriteAsync(
                route53,
                e.Account.Id,
                e.HostedZone.Id,
                changes,
                $"finalise {e.Id}: TTLs restored",
                ct
            );
        return restores;

        static TtlRestore Note(RememberedTtl m, long now, string? note) =>
            new(m.Name, m.Type, now, m.OriginalTtl, false, note);
    }

    public async Task<SpfCleanUp> RetireOldAddressesFromSpfAsync(CutoverEnvironment e, CancellationToken ct)
    {
        var domain = e.SendingDomain.TrimEnd('.');
        SpfCleanUp Leave(string before, string note) => new(domain, before, before, [], [], note, false);
        if (e.IpStrategy == IpStrategy.Byoip)
            return Leave("", "BYOIP: the addresses moved with the range, so SPF keeps them");
        var (record, seen, missing) = await SendingDomainSpf.FindAsync(route53, e, ct);
        if (record is null)
            return Leave(seen, missing!);
        var before = record.Text;
        SpfRetirementResult retired;
        try
        {
            retired = SpfRetirement.Retire(
                before,
                domain,
                [.. e.MtaHosts.Select(h => h.CurrentAddress)],
                EnvironmentPreparer.NewAddresses(e),
                options.SpfWidestPrefix
            );
        }
        catch (SpfPermErrorException x)
        {
            return Leave(before, $"the SPF record of {domain} is not valid: {x.Message}");
        }
        if (retired.Removed.Count > 0)
            await record.WriteAsync(
                route53,
                e,
                retired.After,
                $"finalise {e.Id}: SPF no longer lists {string.Join(" ", retired.Removed)}",
                ct
            );
        return new SpfCleanUp(
            domain,
            before,
            retired.After,
            retired.Removed,
            retired.Kept,
            null,
            retired.Removed.Count > 0
        );
    }

    /// <summary>For Elastic IPs, the old data-centre addresses and whether a record the cutover changes still
    /// names one; empty for BYOIP (the addresses moved, none is left behind).</summary>
    public async Task<IReadOnlyList<OldAddress>> OldAddressesAsync(CutoverEnvironment e, CancellationToken ct)
    {
        if (e.IpStrategy == IpStrategy.Byoip)
            return [];
        var named = new Dictionary<IPAddress, string>();
        foreach (var r in CutoverRecords.ChangedBy(e))
            if (await route53.FindRecordSetAsync(e.Account.Id, e.HostedZone.Id, r.Name, r.Type, ct) is { } live)
                foreach (var v in live.Values)
                    if (IPAddress.TryParse(v, out var a))
                        named.TryAdd(a, $"{r.Name} {r.Type}");
        return
        [
            .. e.MtaHosts.Select(h => new OldAddress(
                h.CurrentAddress.ToString(),
                h.Name,
                named.TryGetValue(h.CurrentAddress, out var by) ? by : null
            )),
        ];
    }
}
