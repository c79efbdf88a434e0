using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Records what is live before the first change; the rollback restores exactly this. Taken once: a replay keeps the
/// first snapshot. Read-only, so the definition takes it before the pause, where its reads cost no downtime.
/// </summary>
[CutoverStepKind(
    nameof(SnapshotLiveState),
    Paths = StepPaths.Forward,
    RequiredIn = StepPaths.Forward,
    After = [nameof(Preflight)],
    Before = [nameof(RepointIps)],
    Because = "the rollback restores what it recorded"
)]
public sealed class SnapshotLiveState(
    StepFrameServices frame,
    IHostedZoneRecords zones,
    IByoipGateway byoip,
    IElasticIpGateway elasticIps
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        if (run.Data.Snapshot is { } taken)
            return StepResult.Done($"snapshot already taken at {taken.TakenAt:O}");
        var s = run.Subject;
        var snapshot = new LiveStateSnapshot { TakenAt = Clock.GetUtcNow() };
        // The zone read preflight made (shared, at most Aws:Route53Zones:ReadMaxAge old): nothing but this cutover
        // changes these hosts' records, and it has changed nothing yet.
        var zone = await zones.ReadAsync(s.AccountId, s.HostedZoneId, cancellationToken: ct);
        foreach (var host in s.MtaHosts)
        {
            var set = zone.Find(host.Name, "A");
            if (set is not null)
                snapshot.RecordSets.Add(
                    new SnapshotRecordSet
                    {
                        Name = set.Name,
                        Type = set.Type,
                        Ttl = set.Ttl,
                        Values = [.. set.Values],
                    }
                );
        }
        // The whole zone and every address of the account, so that the cutover can prove it changed nothing else.
        snapshot.ZoneRecordSets =
        [
            .. zone.RecordSets.Select(set => new SnapshotRecordSet
            {
                Name = set.Name,
                Type = set.Type,
                SetIdentifier = set.SetIdentifier,
                Ttl = set.Ttl,
                Values = [.. set.Values],
            }),
        ];
        snapshot.AccountAddresses =
        [
            .. (await elasticIps.DescribeAddressesAsync(s.AccountId, cancellationToken: ct)).Select(
                BlastRadius.BlastRadiusComparison.AddressOf
            ),
        ];
        if (s.IsByoip)
        {
            var ranges = await byoip.DescribeRangesAsync(s.AccountId, ct);
            snapshot.ByoipState = ranges.FirstOrDefault(r => r.Cidr == s.ByoipCidr)?.State;
        }
        else
        {
            var eips = await elasticIps.DescribeAddressesAsync(
                s.AccountId,
                [.. s.MtaHosts.Select(h => h.AllocationId!)],
                cancellationToken: ct
            );
            var ptrs = await Task.WhenAll(
                eips.Select(eip => elasticIps.GetReverseDnsAsync(s.AccountId, eip.AllocationId, ct))
            );
            foreach (var (eip, ptr) in eips.Zip(ptrs))
                snapshot.Addresses.Add(
                    new SnapshotAddress
                    {
                        AllocationId = eip.AllocationId,
                        PublicIp = eip.PublicIp,
                        InstanceId = eip.InstanceId,
                        PtrRecord = ptr.PtrRecord,
                    }
                );
        }
        run.Data.Snapshot = snapshot;
        return StepResult.Done(
            $"{snapshot.RecordSets.Count} record sets, {snapshot.Addresses.Count} addresses{(snapshot.ByoipState is null ? "" : $", range {snapshot.ByoipState}")}",
            snapshot
        );
    }
}
