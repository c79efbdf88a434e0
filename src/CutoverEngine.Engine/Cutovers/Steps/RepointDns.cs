using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Points the MTA host names at the addresses this workflow moves to (AWS for a cutover, the data centre for
/// a revert) in one all-or-nothing batch, keeping each record's TTL (Elastic IPs; BYOIP keeps its records).</summary>
[CutoverStepKind(nameof(RepointDns), Paths = StepPaths.Forward, RequiredIn = StepPaths.Forward, ForwardOrder = 4)]
public sealed class RepointDns(StepFrameServices frame, IZoneChangeBatcher zoneChanges) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (s.IsByoip)
            return StepResult.Done("BYOIP: the addresses stay, so the A records do not change");
        var ttlBefore =
            run.Data.Snapshot?.RecordSets.ToDictionary(
                r => r.Name.TrimEnd('.'),
                r => r.Ttl,
                StringComparer.OrdinalIgnoreCase
            )
            ?? [];
        var changes = s
            .MtaHosts.Select(h =>
                RecordSetChange.Upsert(
                    ResourceRecordSet.A(h.Name, ttlBefore.GetValueOrDefault(h.Name) ?? 60, run.Data.AddressAfterMove(h))
                )
            )
            .ToList();
        // Batched with the changes of other cutovers in the zone (one request, no PriorRequestNotComplete between
        // them).
        var outcome = await zoneChanges.SubmitAsync(s.AccountId, s.HostedZoneId, run.InstanceId, changes, ct);
        var info = outcome.Change;
        if (!info.AlreadyInPlace && info.Id is not null && !run.Data.PendingChangeIds.Contains(info.Id))
            run.Data.PendingChangeIds.Add(info.Id);
        return StepResult.Done(
            info.AlreadyInPlace
                ? "records already point to the new addresses"
                : $"change {info.Id} submitted ({info.Status}){(outcome.BatchedWith.Count > 0 ? $" in one batch with {outcome.BatchedWith.Count} other cutover(s)" : "")}",
            new
            {
                info.Id,
                status = info.Status.ToString(),
                info.AlreadyInPlace,
                info.RequestId,
                batchedWith = outcome.BatchedWith,
                changes = changes.Select(c => c.ToString()),
            }
        );
    }
}
