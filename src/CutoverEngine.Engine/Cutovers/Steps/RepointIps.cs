using CutoverEngine.Aws.Ec2;
using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Moves the sending addresses to the side this workflow moves to. A cutover: Elastic IPs associated to their AWS
/// instances, a BYOIP range advertised from AWS (waiting durably until BGP has converged). A revert: both put back as
/// the reverted cutover's snapshot recorded them (the range withdrawn, the Elastic IPs released from the instances).
/// </summary>
[CutoverStepKind(nameof(RepointIps), Paths = StepPaths.Forward, RequiredIn = StepPaths.Forward, ForwardOrder = 3)]
public sealed class RepointIps(
    StepFrameServices frame,
    IElasticIpGateway elasticIps,
    IByoipGateway byoip,
    IOptions<CutoverOptions> options
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (run.Data.RevertOf is { } revert)
            return await SnapshotAddresses.RestoreAsync(
                elasticIps,
                byoip,
                options.Value,
                Clock,
                run,
                revert.Snapshot,
                ct
            );
        if (s.IsByoip)
            return await ByoipRange.MoveAsync(byoip, options.Value, Clock, run, advertised: true, ct);
        // The hosts' addresses are independent of each other: moved at once, the customer waits for one round trip, not
        // one per host.
        var moved = await Task.WhenAll(
            s.MtaHosts.Select(async host =>
            {
                var association = await elasticIps.AssociateAsync(
                    s.AccountId,
                    host.AllocationId!,
                    AddressTarget.Instance(host.InstanceId),
                    cancellationToken: ct
                );
                return (object)
                    new
                    {
                        host.Name,
                        host.AllocationId,
                        host.InstanceId,
                        association.AssociationId,
                        association.AlreadyInPlace,
                        association.RequestId,
                    };
            })
        );
        return StepResult.Done($"{moved.Length} Elastic IPs associated to their AWS MTAs", moved);
    }
}
