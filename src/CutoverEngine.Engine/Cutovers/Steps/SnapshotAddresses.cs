using CutoverEngine.Aws.Ec2;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Puts Elastic IPs back where a snapshot found them: associated to the instance it recorded, or not associated.
/// The one rule for a rollback (its own snapshot) and a revert (the reverted cutover's); each call is idempotent
/// (the gateway reports an association already in place), so a replayed step changes nothing twice.
/// </summary>
static class SnapshotAddresses
{
    public static async Task<List<object>> RestoreAsync(
        IElasticIpGateway elasticIps,
        string accountId,
        LiveStateSnapshot snapshot,
        CancellationToken ct
    )
    {
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
        return restored;
    }
}
