using CutoverEngine.Aws.Ec2;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Puts the sending addresses back as a snapshot found them: a BYOIP range advertised or not, each Elastic IP
/// associated to the instance recorded or not associated. The one rule for a rollback (its own snapshot) and a revert
/// (the reverted cutover's); each call is idempotent (the gateways report a state already in place), so a replayed
/// step changes nothing twice.
/// </summary>
static class SnapshotAddresses
{
    public static async Task<StepResult> RestoreAsync(
        IElasticIpGateway elasticIps,
        IByoipGateway byoip,
        CutoverOptions options,
        TimeProvider clock,
        CutoverContext run,
        LiveStateSnapshot snapshot,
        CancellationToken ct
    )
    {
        var accountId = run.Subject.AccountId;
        if (run.Subject.IsByoip)
            // Back to the state recorded, whichever way the workflow moved it. Already there (a range advertised
            // before a cutover): nothing is called but a read.
            return await ByoipRange.MoveAsync(
                byoip,
                options,
                clock,
                run,
                advertised: snapshot.ByoipState is "advertised",
                ct
            );
        var restored = new List<object>();
        foreach (var before in snapshot.Addresses)
        {
            if (before.InstanceId is null)
            {
                var d = await elasticIps.DisassociateAsync(accountId, before.AllocationId, ct);
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
                    accountId,
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
        return StepResult.Done($"{restored.Count} Elastic IPs put back as the snapshot recorded them", restored);
    }
}
