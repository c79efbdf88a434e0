using CutoverEngine.Aws.Ec2;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Names each new address back to its MTA (PTR), after its A record is live, as AWS requires.</summary>
[CutoverStepKind(
    nameof(SetReverseDns),
    Paths = StepPaths.Forward,
    After = [nameof(AwaitDnsInsync)],
    Before = [nameof(ResumeSending)],
    Because = "AWS requires the A record first"
)]
public sealed class SetReverseDns(StepFrameServices frame, IElasticIpGateway elasticIps) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (s.IsByoip)
            return StepResult.Done("BYOIP: the addresses and their reverse DNS stay");
        var set = await Task.WhenAll(
            s.MtaHosts.Select(async host =>
            {
                var change = await elasticIps.SetReverseDnsAsync(s.AccountId, host.AllocationId!, host.EhloName, ct);
                return (object)
                    new
                    {
                        host.TargetAddress,
                        ptr = host.EhloName,
                        change.AlreadyInPlace,
                        change.RequestId,
                    };
            })
        );
        return StepResult.Done($"reverse DNS set on {set.Length} addresses", set);
    }
}
