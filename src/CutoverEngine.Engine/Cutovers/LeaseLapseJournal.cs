using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// Journals, once per cutover and environment (a range group's members each have their own lease), that the
/// sending side resumed by itself because this cutover's pause lease lapsed.
/// The agent (or sandbox) records it in its status; the engine only learns it when it next reads a status (a lease
/// renewal, the resume, a status read after a failed renewal), so every reader hands the status here.
/// </summary>
public sealed class LeaseLapseJournal(ICutoverJournal journal)
{
    public Task NoteAsync(CutoverContext run, SendingStatus status, string seenBy, CancellationToken ct) =>
        NoteAsync(run, run.Data, status, seenBy, ct);

    /// <param name="data">The environment whose status this is: the cutover's own, or a range group member's.</param>
    public async Task NoteAsync(
        CutoverContext run,
        CutoverData data,
        SendingStatus status,
        string seenBy,
        CancellationToken ct
    )
    {
        if (data.SendingPausedAt is not { } pausedAt || data.LeaseLapseJournaled)
            return;
        // A second of slack: the sending side's clock reported the pause instant, and older pauses of the same
        // environment (an earlier cutover) stay in its history.
        var lapsed = status.Pauses.LastOrDefault(p =>
            p.ResumedBy == PauseRecord.ResumedByLeaseExpiry && p.PausedAt >= pausedAt.AddSeconds(-1)
        );
        if (lapsed is null)
            return;
        // The flag is persisted with the step; a crash between the append and that persistence replays the step,
        // so the journal itself is asked before writing again.
        var earlier = await journal.ReadAsync(new JournalQuery { WorkflowInstance = run.InstanceId }, ct);
        var environment = data.Subject.EnvironmentId;
        if (!earlier.Any(e => e.Event == SendingResumedByLeaseExpiryPayload.Event && e.Environment == environment))
            await journal.AppendAsync(
                run.Event(
                    new SendingResumedByLeaseExpiryPayload(
                        lapsed.PausedAt,
                        lapsed.ResumedAt,
                        data.LeaseExpiresAt,
                        seenBy
                    )
                ) with
                {
                    Environment = environment,
                },
                ct
            );
        data.LeaseLapseJournaled = true;
    }
}
