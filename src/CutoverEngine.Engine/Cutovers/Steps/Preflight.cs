using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Before anything changes and while sending still runs: the live records, addresses and ranges match the
/// inventory, and the sending control answers. A failed preflight costs the customer no downtime.
/// </summary>
[CutoverStepKind(nameof(Preflight), Paths = StepPaths.Forward, RequiredIn = StepPaths.Forward, ForwardOrder = 1)]
public sealed class Preflight(
    StepFrameServices frame,
    IHostedZoneRecords zones,
    IByoipGateway byoip,
    IElasticIpGateway elasticIps,
    ISendingControl sending,
    IAccountIdentityCheck identity
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        if (await identity.MismatchAsync(run, ct) is { } mismatch)
            return StepResult.Fail(mismatch);
        var s = run.Subject;
        var problems = new List<string>();
        // One read of the zone serves every cutover in it (at most Aws:Route53Zones:ReadMaxAge old, 15 s by default):
        // drift made by hand within those seconds is not seen here, the price of not reading the same zone per host.
        foreach (var member in run.Data.Moved())
            await CheckRecordsAsync(
                member.Subject,
                member == run.Data ? "" : $"{member.Subject.EnvironmentId}: ",
                problems,
                ct
            );
        if (s.IsByoip)
        {
            var ranges = await byoip.DescribeRangesAsync(s.AccountId, ct);
            var range = ranges.FirstOrDefault(r => r.Cidr == s.ByoipCidr);
            if (range is null)
                problems.Add($"BYOIP range {s.ByoipCidr} is not provisioned in account {s.AccountId}");
            else if (range.State is not ("provisioned" or "advertised"))
                problems.Add($"BYOIP range {s.ByoipCidr} is {range.State}; expected provisioned (or advertised)");
        }
        else
        {
            var allocations = s.MtaHosts.Select(h => h.AllocationId!).ToList();
            var eips = await elasticIps.DescribeAddressesAsync(s.AccountId, allocations, cancellationToken: ct);
            foreach (var host in s.MtaHosts)
            {
                var eip = eips.FirstOrDefault(e => e.AllocationId == host.AllocationId);
                if (eip is null)
                    problems.Add($"{host.Name}: Elastic IP {host.AllocationId} not found in account {s.AccountId}");
                else if (eip.PublicIp != host.TargetAddress)
                    problems.Add(
                        $"{host.Name}: Elastic IP {host.AllocationId} is {eip.PublicIp}, the inventory says {host.TargetAddress}"
                    );
                else if (eip.IsAssociated && eip.InstanceId != host.InstanceId)
                    problems.Add(
                        $"{host.Name}: Elastic IP {eip.PublicIp} is associated to {eip.InstanceId}, not the target {host.InstanceId}: refusing to take it away"
                    );
            }
        }
        var status = await sending.GetStatusAsync(s.ToControlAddress(), ct);
        // A range group's every sending control must answer before any of them pauses.
        foreach (var companion in run.Data.Companions)
            await sending.GetStatusAsync(companion.Subject.ToControlAddress(), ct);
        if (problems.Count > 0)
            return StepResult.Fail("preflight: " + string.Join("; ", problems), new { problems });
        return StepResult.Done(
            $"live state matches the inventory; sending control answers (queue {status.QueueDepth})"
        );
    }

    async Task CheckRecordsAsync(CutoverSubject s, string prefix, List<string> problems, CancellationToken ct)
    {
        var zone = await zones.ReadAsync(s.AccountId, s.HostedZoneId, cancellationToken: ct);
        foreach (var host in s.MtaHosts)
        {
            var live = zone.Find(host.Name, "A");
            if (live is null)
                problems.Add($"{prefix}{host.Name}: no A record in zone {s.HostedZoneName} ({s.HostedZoneId})");
            else if (!SameAddresses(live, host.CurrentAddress) && !SameAddresses(live, host.TargetAddress))
                problems.Add(
                    $"{prefix}{host.Name}: live A record is [{string.Join(", ", live.Values)}], the inventory says {host.CurrentAddress}"
                );
        }
    }

    static bool SameAddresses(ResourceRecordSet set, string address) =>
        set.Values.Count == 1 && set.Values[0] == address;
}
