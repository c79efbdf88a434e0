using CutoverEngine.Aws.Ec2;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Moves the sending addresses to the AWS MTAs. Elastic IPs: associate each to its instance. BYOIP: advertise the
/// customer's range from AWS and wait (durably) until BGP has converged.
/// </summary>
public sealed class RepointIps(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (s.IsByoip)
            return await ByoipRange.MoveAsync(Services, run, advertised: true, ct);
        // The hosts' addresses are independent of each other: moved at once, the customer waits for one round trip, not one per host.
        var moved = await Task.WhenAll(s.MtaHosts.Select(async host =>
        {
            var association = await Services.ElasticIps.AssociateAsync(s.AccountId, host.AllocationId!, AddressTarget.Instance(host.InstanceId), cancellationToken: ct);
            return (object)new { host.Name, host.AllocationId, host.InstanceId, association.AssociationId, association.AlreadyInPlace, association.RequestId };
        }));
        return StepResult.Done($"{moved.Length} Elastic IPs associated to their AWS MTAs", moved);
    }
}

/// <summary>Puts the addresses back where the snapshot found them.</summary>
public sealed class RestoreIps(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (run.Data.Snapshot is not { } snapshot)
            return StepResult.Done("nothing to restore: no change was made");
        if (s.IsByoip)
        {
            if (snapshot.ByoipState is "advertised")
                return StepResult.Done("the range was advertised from AWS before the cutover; left as it was");
            return await ByoipRange.MoveAsync(Services, run, advertised: false, ct);
        }
        var restored = new List<object>();
        foreach (var before in snapshot.Addresses)
        {
            if (before.InstanceId is null)
            {
                var d = await Services.ElasticIps.DisassociateAsync(s.AccountId, before.AllocationId, ct);
                restored.Add(new { before.AllocationId, action = "disassociate", d.AlreadyInPlace, d.RequestId });
            }
            else
            {
                var a = await Services.ElasticIps.AssociateAsync(s.AccountId, before.AllocationId, AddressTarget.Instance(before.InstanceId), cancellationToken: ct);
                restored.Add(new { before.AllocationId, action = "associate", before.InstanceId, a.AlreadyInPlace, a.RequestId });
            }
        }
        return StepResult.Done($"{restored.Count} Elastic IPs restored", restored);
    }
}

/// <summary>Advertise or withdraw a BYOIP range and wait until the world sees it.</summary>
static class ByoipRange
{
    public static async Task<StepResult> MoveAsync(CutoverStepServices services, CutoverContext run, bool advertised, CancellationToken ct)
    {
        var s = run.Subject;
        var ranges = await services.Byoip.DescribeRangesAsync(s.AccountId, ct);
        var range = ranges.FirstOrDefault(r => r.Cidr == s.ByoipCidr);
        if (range is null) return StepResult.Fail($"BYOIP range {s.ByoipCidr} not found in account {s.AccountId}");
        var (goal, pending) = advertised ? ("advertised", "pending-advertising") : ("provisioned", "pending-withdrawal");
        if (range.State == goal) return StepResult.Done($"range {s.ByoipCidr} is {goal}");
        var what = $"range {s.ByoipCidr} is {pending}";
        if (range.State != pending)
        {
            var change = advertised
                ? await services.Byoip.AdvertiseAsync(s.AccountId, s.ByoipCidr!, ct)
                : await services.Byoip.WithdrawAsync(s.AccountId, s.ByoipCidr!, ct);
            what = $"range {s.ByoipCidr} {(advertised ? "advertised" : "withdrawn")} (request {change.RequestId}); waiting for BGP";
        }
        // Watch the range's state within this run (describes are on the generous describe quota), then wait durably.
        var o = services.Options;
        var reached = await Watch.UntilAsync(services.Clock, o.ByoipWatchInterval, o.WatchWindow, async token =>
            (await services.Byoip.DescribeRangesAsync(s.AccountId, token)).FirstOrDefault(r => r.Cidr == s.ByoipCidr)?.State == goal, ct);
        return reached ? StepResult.Done($"range {s.ByoipCidr} is {goal}") : StepResult.WaitFor(run.PollInterval, what);
    }
}

/// <summary>Names each new address back to its MTA (PTR), after its A record is live, as AWS requires.</summary>
public sealed class SetReverseDns(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (s.IsByoip) return StepResult.Done("BYOIP: the addresses and their reverse DNS stay");
        var set = await Task.WhenAll(s.MtaHosts.Select(async host =>
        {
            var change = await Services.ElasticIps.SetReverseDnsAsync(s.AccountId, host.AllocationId!, host.EhloName, ct);
            return (object)new { host.TargetAddress, ptr = host.EhloName, change.AlreadyInPlace, change.RequestId };
        }));
        return StepResult.Done($"reverse DNS set on {set.Length} addresses", set);
    }
}
