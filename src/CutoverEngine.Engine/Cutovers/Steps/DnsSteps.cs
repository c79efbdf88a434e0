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
        // Batched with the changes of other cutovers in the zone (one request, no PriorRequestNotComplete between them).
        var outcome = await Services.ZoneChanges.SubmitAsync(s.AccountId, s.HostedZoneId, run.InstanceId, changes, ct);
        var info = outcome.Change;
        if (!info.AlreadyInPlace && info.Id is not null && !run.Data.PendingChangeIds.Contains(info.Id))
            run.Data.PendingChangeIds.Add(info.Id);
        return StepResult.Done(info.AlreadyInPlace ? "records already point to the new addresses"
                : $"change {info.Id} submitted ({info.Status}){(outcome.BatchedWith.Count > 0 ? $" in one batch with {outcome.BatchedWith.Count} other cutover(s)" : "")}",
            new { info.Id, status = info.Status.ToString(), info.AlreadyInPlace, info.RequestId, batchedWith = outcome.BatchedWith, changes = changes.Select(c => c.ToString()) });
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
        var info = (await Services.ZoneChanges.SubmitAsync(s.AccountId, s.HostedZoneId, run.InstanceId, changes, ct)).Change;
        if (!info.AlreadyInPlace && info.Id is not null && !run.Data.PendingChangeIds.Contains(info.Id))
            run.Data.PendingChangeIds.Add(info.Id);
        return StepResult.Done(info.AlreadyInPlace ? "records were already as before" : $"change {info.Id} submitted to restore {changes.Count} record sets",
            new { info.Id, info.AlreadyInPlace, info.RequestId });
    }
}

/// <summary>
/// Waits until the submitted record changes are live: by asking every authoritative name server of the zone, every
/// <see cref="CutoverOptions.WatchInterval"/> within one step run (no Route 53 quota spent, and exactly what resolvers
/// will see), and after each watch window that did not see them, by GetChange, whose INSYNC settles it too. What the
/// name servers show is reported to the zone's batcher, so the zone's next batch need not ask Route 53 either.
/// </summary>
public sealed class AwaitDnsInsync(CutoverStepServices services, CutoverEngine.Sending.Verification.DnsQueries dns) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var pending = run.Data.PendingChangeIds;
        if (pending.Count == 0) return StepResult.Done("no change to wait for");
        var s = run.Subject;
        var expected = Expected(run);
        if (expected.Count > 0)
        {
            var live = await Watch.UntilAsync(Clock, Services.Options.WatchInterval, Services.Options.WatchWindow, async token =>
            {
                try
                {
                    foreach (var (name, addresses) in expected)
                        if (!await dns.AllAuthoritativeServersAnswerAsync(s.HostedZoneName, name, addresses, token)) return false;
                    return true;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return false; // DNS unavailable from here: Route 53's own status decides below.
                }
            }, ct);
            if (live)
            {
                var ids = string.Join(", ", pending);
                foreach (var id in pending) Services.ZoneChanges.ReportInSync(s.AccountId, id);
                pending.Clear();
                return StepResult.Done($"every authoritative server answers the new records (changes {ids})");
            }
        }
        var round = run.Data.StepRounds.GetValueOrDefault(run.Step.Name) + 1;
        run.Data.StepRounds[run.Step.Name] = round;
        foreach (var id in pending.ToList())
        {
            var info = await Services.Route53.GetChangeAsync(s.AccountId, id, ct);
            if (info.Status == ChangeStatus.InSync)
            {
                pending.Remove(id);
                Services.ZoneChanges.ReportInSync(s.AccountId, id);
            }
        }
        if (pending.Count == 0) return StepResult.Done("every change is INSYNC");
        return StepResult.WaitFor(run.PollInterval, $"{pending.Count} change(s) not yet live: {string.Join(", ", pending)}");
    }

    /// <summary>What the records must read once live: the targets going forward, the snapshot when rolling back.</summary>
    static Dictionary<string, System.Net.IPAddress[]> Expected(CutoverContext run)
    {
        if (run.Data.IsRollingBack)
            return run.Data.Snapshot?.RecordSets.Where(r => r.Type == "A")
                .ToDictionary(r => r.Name.TrimEnd('.'), r => r.Values.Select(System.Net.IPAddress.Parse).ToArray()) ?? [];
        return run.Subject.MtaHosts.ToDictionary(h => h.Name, h => new[] { System.Net.IPAddress.Parse(h.TargetAddress) });
    }
}
