using CutoverEngine.Aws.Ec2;
using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Puts the addresses back where the snapshot found them.</summary>
[CutoverStepKind(
    nameof(RestoreIps),
    Paths = StepPaths.Rollback,
    RequiredIn = StepPaths.Rollback,
    Before = [nameof(ResumeSending)],
    Because = "sending resumes on the old infrastructure"
)]
public sealed class RestoreIps(
    StepFrameServices frame,
    IElasticIpGateway elasticIps,
    IByoipGateway byoip,
    IOptions<CutoverOptions> options
) : CutoverStep(frame)
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
            return await ByoipRange.MoveAsync(byoip, options.Value, Clock, run, advertised: false, ct);
        }
        var restored = new List<object>();
        foreach (var before in snapshot.Addresses)
        {
            if (before.InstanceId is null)
            {
                var d = await elasticIps.DisassociateAsync(s.AccountId, before.AllocationId, ct);
                restored.Add(
                    new
                    {
                        before.AllocationId,
                        action = "disassociate",
                        d.AlreadyInPlace,
                        d.RequestId,
                    }
                );
            }
            else
            {
                var a = await elasticIps.AssociateAsync(
                    s.AccountId,
                    before.AllocationId,
                    AddressTarget.Instance(before.InstanceId),
                    cancellationToken: ct
                );
                restored.Add(
                    new
                    {
                        before.AllocationId,
                        action = "associate",
                        before.InstanceId,
                        a.AlreadyInPlace,
                        a.RequestId,
                    }
                );
            }
        }
        return StepResult.Done($"{restored.Count} Elastic IPs restored", restored);
    }
}
