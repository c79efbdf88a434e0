using System.Collections.Concurrent;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Aws.Tests.Support;

/// <summary>
/// A Route 53 in memory for batcher tests that need many zones: every zone starts empty, every accepted change is
/// PENDING and GetChange says INSYNC. Changes to a zone in <see cref="Held"/> wait until <see cref="Release"/>.
/// </summary>
public sealed class InMemoryRoute53(TimeProvider time) : IRoute53Gateway
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _changes;

    /// <summary>Zones whose changes wait for <see cref="Release"/> (they keep their cutovers busy).</summary>
    public HashSet<string> Held { get; } = new(StringComparer.Ordinal);

    /// <summary>Changes accepted, with the AWS call labels of the flow that sent each.</summary>
    public ConcurrentQueue<(
        string Zone,
        ChangeBatch Batch,
        IReadOnlyDictionary<string, string> Labels
    )> Accepted { get; } = new();

    /// <summary>Change requests to held zones that are waiting now.</summary>
    public int Waiting => _waiting;

    /// <summary>Change requests given up by their caller.</summary>
    public int Cancelled => _cancelled;

    private int _waiting;
    private int _cancelled;

    public void Release() => _release.TrySetResult();

    public async Task<ChangeInfo> SubmitChangeBatchAsync(
        string account,
        string hostedZoneId,
        ChangeBatch batch,
        CancellationToken cancellationToken = default
    )
    {
        var labels = AwsCallScope.Current;
        if (Held.Contains(hostedZoneId))
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _release.Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
        Accepted.Enqueue((hostedZoneId, batch, labels));
        return new ChangeInfo(
            $"C{Interlocked.Increment(ref _changes):D6}",
            ChangeStatus.Pending,
            time.GetUtcNow(),
            batch.Comment
        );
    }

    public Task<ChangeInfo> GetChangeAsync(
        string account,
        string changeId,
        CancellationToken cancellationToken = default
    ) => Task.FromResult(new ChangeInfo(changeId, ChangeStatus.InSync, time.GetUtcNow()));

    public Task<IReadOnlyList<ResourceRecordSet>> ListRecordSetsAsync(
        string account,
        string hostedZoneId,
        CancellationToken cancellationToken = default
    ) => Task.FromResult<IReadOnlyList<ResourceRecordSet>>([]);

    public Task<ResourceRecordSet?> FindRecordSetAsync(
        string account,
        string hostedZoneId,
        string name,
        string type,
        CancellationToken cancellationToken = default
    ) => Task.FromResult<ResourceRecordSet?>(null);
}
