using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Puts the snapshot's records back.</summary>
[CutoverStepKind(
    nameof(RestoreDns),
    Paths = StepPaths.Rollback,
    RequiredIn = StepPaths.Rollback,
    Before = [nameof(ResumeSending)],
    Because = "sending resumes on the old infrastructure"
)]
public sealed class RestoreDns(StepFrameServices frame, IZoneChangeBatcher zoneChanges) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (run.Data.Snapshot is not { } snapshot || snapshot.RecordSets.Count == 0 || s.IsByoip)
            return StepResult.Done("nothing to restore: no record was changed");
        var changes = snapshot
            .RecordSets.Select(r => RecordSetChange.Upsert(new ResourceRecordSet(r.Name, r.Type, r.Ttl, r.Values)))
            .ToList();
        var info = (await zoneChanges.SubmitAsync(s.AccountId, s.HostedZoneId, run.InstanceId, changes, ct)).Change;
        if (!info.AlreadyInPlace && info.Id is not null && !run.Data.PendingChangeIds.Contains(info.Id))
            run.Data.PendingChangeIds.Add(info.Id);
        return StepResult.Done(
            info.AlreadyInPlace
                ? "records were already as before"
                : $"change {info.Id} submitted to restore {changes.Count} record sets",
            new
            {
                info.Id,
                info.AlreadyInPlace,
                info.RequestId,
            }
        );
    }
}
