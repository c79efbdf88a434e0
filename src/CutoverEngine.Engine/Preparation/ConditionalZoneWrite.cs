using CutoverEngine.Aws;
using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Engine.Preparation;

/// <summary>
/// How prepare and finalise write a zone they read: one Route 53 batch that DELETEs the exact value read and CREATEs
/// the new one, so Route 53 applies it all or nothing and refuses it when the record changed meanwhile (then nothing
/// is written and <see cref="PrepareConflictException"/> says so); then a wait until every name server answers it,
/// because the TTL rules count from there.
/// </summary>
public static class ConditionalZoneWrite
{
    /// <summary>How long a written change may stay PENDING before the step gives up and tries again.</summary>
    static readonly TimeSpan InsyncDeadline = TimeSpan.FromMinutes(5);

    public static async Task WriteAsync(
        IRoute53Gateway route53,
        string account,
        string zoneId,
        IReadOnlyList<RecordSetChange> changes,
        string comment,
        CancellationToken ct
    )
    {
        ChangeInfo info;
        try
        {
            info = await route53.SubmitChangeBatchAsync(account, zoneId, new ChangeBatch([.. changes], comment), ct);
        }
        catch (Route53InvalidChangeBatchException x)
        {
            throw new PrepareConflictException(
                $"zone {zoneId}: a record changed after it was read, nothing written ({x.Message}); reading it again",
                x
            );
        }
        // Real time, not the engine's clock: this waits on Route 53, not on the schedule.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (info.Status != ChangeStatus.InSync && info.Id is { } id)
        {
            if (waited.Elapsed > InsyncDeadline)
                throw new TimeoutException($"change {id} in zone {zoneId} still PENDING after {InsyncDeadline}");
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            info = await route53.GetChangeAsync(account, id, ct);
        }
    }
}
