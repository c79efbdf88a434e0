using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Cutovers.BlastRadius;

/// <summary>
/// Proves the blast radius once the cutover (or its rollback) is done: reads the zone afresh and every address of the
/// account, and compares them with the snapshot (<see cref="BlastRadiusComparison"/>). What the wave's cutovers
/// intend comes from their cutover-started entries in the journal, so a sibling's change in the same zone is not
/// counted against this one. Never fails the closing step: a failed read is recorded as such.
/// </summary>
public sealed class BlastRadiusCheck(IHostedZoneRecords zones, IElasticIpGateway elasticIps, ICutoverJournal journal)
{
    /// <summary>The comparison, or null when the snapshot holds no whole-zone record (taken by an older
    /// engine).</summary>
    public async Task<BlastRadiusCheckedPayload?> CheckAsync(CutoverContext run, CancellationToken ct)
    {
        var snapshot = run.Data.Snapshot;
        if (snapshot?.ZoneRecordSets is not { } recordsBefore || snapshot.AccountAddresses is not { } addressesBefore)
            return null;
        var s = run.Subject;
        try
        {
            var intent = await IntentAsync(run, ct);
            // A fresh read: the shared one may be older than the changes this comparison is about.
            var zone = await zones.ReadAsync(s.AccountId, s.HostedZoneId, TimeSpan.Zero, ct);
            var addresses = await elasticIps.DescribeAddressesAsync(s.AccountId, cancellationToken: ct);
            var recordsAfter = zone.RecordSets.Select(BlastRadiusComparison.RecordOf).ToList();
            var addressesAfter = addresses.Select(BlastRadiusComparison.AddressOf).ToList();
            var (outside, own) = BlastRadiusComparison.Compare(
                recordsBefore,
                recordsAfter,
                addressesBefore,
                addressesAfter,
                intent
            );
            return new BlastRadiusCheckedPayload(
                Math.Max(recordsBefore.Count, recordsAfter.Count),
                Math.Max(addressesBefore.Count, addressesAfter.Count),
                own,
                outside,
                null
            );
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new BlastRadiusCheckedPayload(0, 0, [], [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    async Task<ChangeIntent> IntentAsync(CutoverContext run, CancellationToken ct)
    {
        var ownNames = run
            .Data.Moved()
            .SelectMany(m => m.Subject.MtaHosts)
            .Select(h => BlastRadiusComparison.NameOf(h.Name))
            .ToHashSet(StringComparer.Ordinal);
        var ownAllocations = run
            .Data.Moved()
            .SelectMany(m => m.Subject.MtaHosts)
            .Select(h => h.AllocationId)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(ownNames, StringComparer.Ordinal);
        var allocations = new HashSet<string>(ownAllocations, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(run.Data.WaveId))
        {
            var reader = new JournalHistoryReader(journal);
            var entries = await reader.ReadAllAsync(new JournalQuery { Wave = run.Data.WaveId }, ct);
            foreach (var started in entries.Where(e => e.Event == CutoverStartedPayload.Event))
            foreach (var host in JournalPayload.Parse(started.Payload).Object("subject").Objects("mtaHosts"))
            {
                if (host.String("name") is { } name)
                    names.Add(BlastRadiusComparison.NameOf(name));
                if (host.String("allocationId") is { } allocation)
                    allocations.Add(allocation);
            }
        }
        return new ChangeIntent(names, allocations, ownNames, ownAllocations);
    }
}
