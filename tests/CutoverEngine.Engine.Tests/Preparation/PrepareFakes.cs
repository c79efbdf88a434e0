using System.Net;
using System.Net.Sockets;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Sending.Verification;

namespace CutoverEngine.Engine.Tests.Preparation;

/// <summary>SPF DNS from tables: TXT records by name, nothing else.</summary>
internal sealed class TableSpfDns : ISpfDns
{
    public Dictionary<string, string[]> Txt { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<SpfDnsAnswer<string>> TxtAsync(string name, CancellationToken ct) =>
        Task.FromResult(new SpfDnsAnswer<string>(Txt.GetValueOrDefault(name.TrimEnd('.')) ?? []));

    public Task<SpfDnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct) =>
        Task.FromResult(new SpfDnsAnswer<IPAddress>([IPAddress.Parse("192.0.2.1")]));

    public Task<SpfDnsAnswer<string>> MailExchangesAsync(string name, CancellationToken ct) =>
        Task.FromResult(new SpfDnsAnswer<string>(["mx.example.com"]));

    public Task<SpfDnsAnswer<string>> PointersAsync(string reverseName, CancellationToken ct) =>
        Task.FromResult(new SpfDnsAnswer<string>([]));
}

/// <summary>A zone in memory that records every batch sent to it and applies it as Route 53 would (DELETE of a
/// value that differs is refused, nothing applied).</summary>
internal sealed class RecordingRoute53 : IRoute53Gateway
{
    public List<ResourceRecordSet> Sets { get; } = [];
    public List<ChangeBatch> Batches { get; } = [];

    /// <summary>Runs before a batch is applied: someone else changing the zone between read and write.</summary>
    public Action? BeforeSubmit { get; set; }

    public Task<ChangeInfo> SubmitChangeBatchAsync(
        string account,
        string hostedZoneId,
        ChangeBatch batch,
        CancellationToken cancellationToken = default
    )
    {
        BeforeSubmit?.Invoke();
        Batches.Add(batch);
        var after = Sets.ToList();
        foreach (var c in batch.Changes)
        {
            var current = after.FirstOrDefault(s => s.IsSameSetAs(c.RecordSet));
            switch (c.Action)
            {
                case ChangeAction.Delete when current is null || !current.HasSameContentAs(c.RecordSet):
                    throw new CutoverEngine.Aws.Route53InvalidChangeBatchException(
                        CutoverEngine.Aws.AwsOperations.ChangeResourceRecordSets,
                        account,
                        ["values provided do not match the current values"],
                        400,
                        null
                    );
                case ChangeAction.Delete:
                    after.Remove(current);
                    break;
                default:
                    if (current is not null)
                        after.Remove(current);
                    after.Add(c.RecordSet);
                    break;
            }
        }
        Sets.Clear();
        Sets.AddRange(after);
        return Task.FromResult(new ChangeInfo($"C{Batches.Count}", ChangeStatus.InSync, DateTimeOffset.UnixEpoch));
    }

    public Task<ChangeInfo> GetChangeAsync(string account, string changeId, CancellationToken ct = default) =>
        Task.FromResult(new ChangeInfo(changeId, ChangeStatus.InSync, DateTimeOffset.UnixEpoch));

    public Task<IReadOnlyList<ResourceRecordSet>> ListRecordSetsAsync(
        string account,
        string hostedZoneId,
        CancellationToken ct = default
    ) => Task.FromResult<IReadOnlyList<ResourceRecordSet>>([.. Sets]);

    public Task<ResourceRecordSet?> FindRecordSetAsync(
        string account,
        string hostedZoneId,
        string name,
        string type,
        CancellationToken ct = default
    ) => Task.FromResult(Sets.FirstOrDefault(s => s.IsSameSetAs(new ResourceRecordSet(name, type, null, []))));
}
