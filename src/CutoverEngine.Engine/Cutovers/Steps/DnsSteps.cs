using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Points the MTA host names at the new addresses in one all-or-nothing batch (Elastic IPs; BYOIP keeps its records).</summary>
public sealed class RepointDns(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (s.IsByoip) return StepResult.Done("BYOIP: the addresses stay, so the A records do not change");
        var ttlBefore = run.Data.Snapshot?.RecordSets.ToDictionary(r => r.Name.TrimEnd('.'), r => r.Ttl, StringComparer.OrdinalIgnoreCase) ?? [];
        var changes = s.MtaHosts.Select(h => RecordSetChange.Upsert(ResourceRecordSet.A(h.Name, ttlBefore.GetValueOrDefault(h.Name) ?? 60, h.TargetAddress))).ToList();
        var info = await Services.Route53.ChangeRecordSetsAsync(s.AccountId, s.HostedZoneId, new ChangeBatch(changes, $"cutover {run.InstanceId}"), ct);
        if (!info.AlreadyInPlace && info.Id is not null && !run.Data.PendingChangeIds.Contains(info.Id))
            run.Data.PendingChangeIds.Add(info.Id);
        return StepResult.Done(info.AlreadyInPlace ? "records already point to the new addresses" : $"change {info.Id} submitted ({info.Status})",
            new { info.Id, status = info.Status.ToString(), info.AlreadyInPlace, info.RequestId, changes = changes.Select(c => c.ToString()) });
    }
}

/// <summary>Puts the snapshot's records back.</summary>
public sealed class RestoreDns(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (run.Data.Snapshot is not { } snapshot || snapshot.RecordSets.Count == 0 || s.IsByoip)
            return StepResult.Done("nothing to restore: no record was changed");
        var changes = snapshot.RecordSets.Select(r => RecordSetChange.Upsert(new ResourceRecordSet(r.Name, r.Type, r.Ttl, r.Values))).ToList();
        var info = await Services.Route53.ChangeRecordSetsAsync(s.AccountId, s.HostedZoneId, new ChangeBatch(changes, $"rollback of {run.InstanceId}"), ct);
        if (!info.AlreadyInPlace && info.Id is not null && !run.Data.PendingChangeIds.Contains(info.Id))
            run.Data.PendingChangeIds.Add(info.Id);
        return StepResult.Done(info.AlreadyInPlace ? "records were already as before" : $"change {info.Id} submitted to restore {changes.Count} record sets",
            new { info.Id, info.AlreadyInPlace, info.RequestId });
    }
}

/// <summary>Waits (durably, polling at the definition's interval) until every submitted Route 53 change is INSYNC.</summary>
public sealed class AwaitDnsInsync(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var pending = run.Data.PendingChangeIds;
        foreach (var id in pending.ToList())
        {
            var info = await Services.Route53.GetChangeAsync(run.Subject.AccountId, id, ct);
            if (info.Status == ChangeStatus.InSync) pending.Remove(id);
        }
        return pending.Count == 0
            ? StepResult.Done("every change is INSYNC")
            : StepResult.WaitFor(run.PollInterval, $"{pending.Count} change(s) still PENDING: {string.Join(", ", pending)}");
    }
}
