using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// Reads back from AWS what a failed restore left, beside what the snapshot recorded before the cutover: the record
/// sets the cutover changes (a fresh read of the zone), the Elastic IPs' associations, a BYOIP range's state. Never
/// throws: a failed read is recorded as such, and counts as not restored.
/// </summary>
public sealed class RollbackStateReader(IHostedZoneRecords zones, IElasticIpGateway elasticIps, IByoipGateway byoip)
{
    public async Task<RollbackLeftBehind> ReadAsync(CutoverContext run, CancellationToken ct)
    {
        var s = run.Subject;
        if (run.Data.Snapshot is not { } snapshot)
            return new RollbackLeftBehind([], [], null, null);
        try
        {
            var records = new List<LeftRecord>();
            if (snapshot.RecordSets.Count > 0 && !s.IsByoip)
            {
                // A fresh read: the shared one may hold the change that failed as if applied.
                var zone = await zones.ReadAsync(s.AccountId, s.HostedZoneId, TimeSpan.Zero, ct);
                records.AddRange(
                    snapshot.RecordSets.Select(r => new LeftRecord(
                        r.Name,
                        r.Type,
                        r.Values,
                        zone.Find(r.Name, r.Type)?.Values ?? []
                    ))
                );
            }
            var addresses = new List<LeftAddress>();
            if (snapshot.Addresses.Count > 0)
            {
                var now = (await elasticIps.DescribeAddressesAsync(s.AccountId, cancellationToken: ct)).ToDictionary(
                    a => a.AllocationId,
                    StringComparer.Ordinal
                );
                addresses.AddRange(
                    snapshot.Addresses.Select(a => new LeftAddress(
                        a.AllocationId,
                        a.PublicIp,
                        a.InstanceId,
                        now.GetValueOrDefault(a.AllocationId)?.InstanceId
                    ))
                );
            }
            LeftRange? range = null;
            if (s.IsByoip && s.ByoipCidr is { } cidr)
                range = new LeftRange(
                    cidr,
                    snapshot.ByoipState,
                    (await byoip.DescribeRangesAsync(s.AccountId, ct)).FirstOrDefault(r => r.Cidr == cidr)?.State
                );
            return new RollbackLeftBehind(addresses, records, range, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new RollbackLeftBehind([], [], null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
