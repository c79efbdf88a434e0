using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// The reminder before a scheduled window, on a durable WorkflowCore delay (<see cref="WaveReminderWorkflow"/>).
/// At least once and honest: each environment's reminder is claimed in the store before it is sent and marked sent
/// once the relay took it (<see cref="WaveStore.ClaimReminderAsync"/>); a replayed step that finds a claim not
/// marked sent (a crash between the claim and the mark, or a relay that refused) sends it again under the same
/// Message-ID (<see cref="NoticeMail.ReminderMessageId"/>), so a receiver can drop a copy, and journals
/// `customer-reminded` only if no earlier attempt did. A reminder marked sent is never sent again.
/// A reminder for a start the wave no longer has (rescheduled, cancelled, started) sends and journals nothing; the
/// reschedule or cancel also terminates it, and a reschedule arms its own.
/// </summary>
public sealed class WaveReminders(
    WaveStore store,
    NoticeMail mail,
    ICutoverJournal journal,
    NoticeReminderOptions options,
    IWorkflowController workflows,
    IPersistenceProvider persistence,
    TimeProvider clock,
    ILogger<WaveReminders> logger
)
{
    public const string Actor = "reminder";

    readonly SleepingWorkflows sleeping = new(workflows, persistence);

    /// <summary>
    /// Makes sure the one reminder that sleeps for the wave is the one for its start at <paramref name="at"/>:
    /// terminates reminders of other instants and starts one unless it exists or its instant has passed already
    /// (the notice just sent is the reminder). Safe to run twice.
    /// </summary>
    public async Task ArmAsync(string waveId, DateTimeOffset at, CancellationToken ct = default)
    {
        at = at.ToUniversalTime();
        if (await DisarmAsync(waveId, at, ct))
            return;
        var remindAt = at - options.Lead;
        if (remindAt <= clock.GetUtcNow())
            return;
        ct.ThrowIfCancellationRequested();
        var id = await workflows.StartWorkflow(
            WaveReminderWorkflow.DefinitionId,
            WaveReminderWorkflow.DefinitionVersion,
            new WaveReminderData
            {
                WaveId = waveId,
                ScheduledFor = at,
                RemindAt = remindAt,
            },
            $"{waveId}@{at:O}/reminder"
        );
        logger.LogInformation("Wave {Wave}: reminder at {At:u} armed as workflow {Instance}", waveId, remindAt, id);
    }

    /// <summary>Terminates the wave's sleeping reminders, except one for the start at <paramref name="keep"/>;
    /// returns whether that one exists. Harmless when there is none.</summary>
    public async Task<bool> DisarmAsync(string waveId, DateTimeOffset? keep = null, CancellationToken ct = default)
    {
        var kept = false;
        foreach (
            var (instance, data) in await sleeping.ListAsync<WaveReminderData>(WaveReminderWorkflow.DefinitionId, ct)
        )
        {
            if (data.WaveId != waveId)
                continue;
            if (data.ScheduledFor == keep && !kept)
            {
                kept = true;
                continue;
            }
            if (await sleeping.TerminateAsync(instance.Id))
                logger.LogInformation(
                    "Wave {Wave}: reminder {Instance} for {At:u} terminated",
                    waveId,
                    instance.Id,
                    data.ScheduledFor
                );
            else
                // Still safe: when it wakes it finds the wave no longer scheduled for its start and sends nothing.
                logger.LogWarning(
                    "Wave {Wave}: reminder {Instance} for {At:u} could not be terminated within {Seconds} s",
                    waveId,
                    instance.Id,
                    data.ScheduledFor,
                    SleepingWorkflows.TerminateLockWait.TotalSeconds
                );
        }
        return kept;
    }

    /// <summary>
    /// Sends each environment's reminder that is still owed, if the wave is still scheduled for <paramref name="at"/>,
    /// that start is still ahead, and a relay is configured.
    /// </summary>
    /// <returns>How many reminders the relay refused: still owed, for a later attempt.</returns>
    public async Task<int> OnDueAsync(string waveId, DateTimeOffset at, CancellationToken ct = default)
    {
        var wave = await store.FindAsync(waveId, ct);
        if (wave is not { State: WaveState.Scheduled } || wave.ScheduledFor != at)
        {
            logger.LogInformation(
                "Wave {Wave}: reminder for the start {At:u} found the wave {State} for {Now:u}; nothing sent",
                waveId,
                at,
                wave is null ? "gone" : WaveNames.Of(wave.State),
                wave?.ScheduledFor
            );
            return 0;
        }
        if (clock.GetUtcNow() >= at || mail.ConfiguredRelay is not { } relay)
            return 0; // the window has begun: a reminder of it is no use any more
        var owed = 0;
        foreach (var notice in mail.Render(wave))
        {
            var environment = notice.Environment;
            if (await store.ClaimReminderAsync(waveId, environment.Id, at, clock.GetUtcNow(), ct) == ReminderClaim.Sent)
                continue;
            try
            {
                // The SEQUENCE of the invitation the customer holds: a reminder changes nothing in it.
                var sequence = Math.Max(0, await store.NextSequenceAsync(waveId, environment.Id, ct) - 1);
                var messageId = NoticeMail.ReminderMessageId(waveId, environment.Id, at);
                var sent = await mail.SendAsync(relay, wave, notice, sequence, NoticeKind.Reminder, messageId, ct);
                // Journaled before the mark: a crash between them re-sends (same Message-ID) but finds the entry.
                if (!await JournaledAsync(waveId, environment.Id, at, ct))
                    await journal.AppendAsync(
                        JournalEvent.Of(new CustomerRemindedPayload(environment.Customer, at, sent), Actor) with
                        {
                            Wave = waveId,
                            Environment = environment.Id,
                        },
                        ct
                    );
                await store.MarkReminderSentAsync(waveId, environment.Id, at, sent, ct);
            }
            catch (NoticeRelayException e)
            {
                owed++;
                logger.LogWarning(
                    "Wave {Wave}: reminder of {Environment} not sent, retried in {Retry}: {Error}",
                    waveId,
                    environment.Id,
                    options.RetryInterval,
                    e.Message
                );
            }
        }
        return owed;
    }

    async Task<bool> JournaledAsync(string waveId, string environmentId, DateTimeOffset at, CancellationToken ct) =>
        (await journal.ReadAsync(new JournalQuery { Wave = waveId, Environment = environmentId }, ct)).Any(e =>
            e.Event == CustomerRemindedPayload.Event && JournalPayload.Parse(e.Payload).Time("scheduledFor") == at
        );
}
