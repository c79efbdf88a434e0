using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// Renews the sending pause's lease while the cutover is healthy. The lease is the customer's insurance: if the
/// engine dies, the lease runs out and sending resumes by itself. So it is renewed only from inside a running step.
/// </summary>
public sealed class PauseLeaseKeeper(
    TimeProvider clock,
    ISendingControl sending,
    ICutoverJournal journal,
    LeaseLapseJournal lapses
)
{
    /// <summary>Renews the lease of each environment the cutover moves whose renewal is due.</summary>
    public async Task RenewIfDueAsync(CutoverContext run, CancellationToken ct)
    {
        foreach (var member in run.Data.Moved())
            await RenewIfDueAsync(run, member, ct);
    }

    async Task RenewIfDueAsync(CutoverContext run, CutoverData data, CancellationToken ct)
    {
        if (data.PausedAt is null || data.ResumedAt is not null || data.LeaseExpiresAt is not { } expires)
            return;
        var lease = run.Definition.PauseLease;
        var renewAt = expires - lease * (1 - run.Definition.LeaseRenewalFraction);
        if (clock.GetUtcNow() < renewAt)
            return;
        try
        {
            var status = await sending.RenewLeaseAsync(data.Subject.ToControlAddress(), lease, ct);
            data.LeaseExpiresAt = status.LeaseExpiresAt ?? clock.GetUtcNow() + lease;
            data.LeaseRenewals++;
            await lapses.NoteAsync(run, data, status, "lease renewal", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed renewal is not a failed cutover: the lease still runs, and the next step tries again.
            await journal.AppendAsync(
                run.Event(new LeaseRenewalFailedPayload(e.Message, data.LeaseExpiresAt)) with
                {
                    Environment = data.Subject.EnvironmentId,
                },
                ct
            );
            if (e is SendingControlException { Status: 409 })
                await NoteLapseAsync(run, data, ct);
        }
    }

    /// <summary>A refused renewal is what a lapsed lease looks like (the agent answers 409 "not paused"): the
    /// status says whether it lapsed.</summary>
    async Task NoteLapseAsync(CutoverContext run, CutoverData data, CancellationToken ct)
    {
        try
        {
            var status = await sending.GetStatusAsync(data.Subject.ToControlAddress(), ct);
            await lapses.NoteAsync(run, data, status, "status after a refused lease renewal", ct);
        }
        catch (Exception e) when (e is SendingControlException or HttpRequestException or TimeoutException)
        {
            // The resume step reads the status again; the lapse is journaled then.
        }
    }
}
