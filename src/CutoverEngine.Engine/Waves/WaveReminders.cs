using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// The reminder before a scheduled window, on a durable WorkflowCore delay (<see cref="WaveReminderWorkflow"/>).
/// Each environment's reminder is claimed in the store before it is sent
/// (<see cref="WaveStore.TryClaimReminderAsync"/>), so a replayed step or a second host sends none twice; a crash
/// between the claim and the send loses that one reminder rather than repeating it.
/// A reminder for a start the wave no longer has (rescheduled, cancelled, started) does nothing: a reschedule arms
/// its own.
/// </summary>
public sealed class WaveReminders(
    WaveStore store,
    NoticeMail mail,
    ICutoverJournal journal,
    NoticeReminderOptions options,
    IWorkflowController workflows,
    TimeProvider clock,
    ILogger<WaveReminders> logger
)
{
    public const string Actor = "reminder";

    /// <summary>Starts the reminder for the wave's start at <paramref name="at"/>, unless its instant has passed
    /// already (the notice just sent is the reminder).</summary>
    public async Task ArmAsync(string waveId, DateTimeOffset at, CancellationToken ct = default)
    {
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

    /// <summary>Sends each environment's reminder once, if the wave is still scheduled for <paramref name="at"/>
    /// and a relay is configured.</summary>
    public async Task OnDueAsync(string waveId, DateTimeOffset at, CancellationToken ct = default)
    {
        var wave = await store.FindAsync(waveId, ct);
        if (
            wave is not { State: WaveState.Scheduled }
            || wave.ScheduledFor != at
            || mail.ConfiguredRelay is not { } relay
        )
            return;
        foreach (var notice in mail.Render(wave))
        {
            var environment = notice.Environment;
            if (!await store.TryClaimReminderAsync(waveId, environment.Id, at, clock.GetUtcNow(), ct))
                continue;
            try
            {
                var sequence = Math.Max(0, await store.NoticeCountAsync(waveId, environment.Id, ct) - 1);
                var sent = await mail.SendAsync(relay, wave, notice, sequence, NoticeKind.Reminder, ct);
                await journal.AppendAsync(
                    JournalEvent.Of(new CustomerRemindedPayload(environment.Customer, at, sent), Actor) with
                    {
                        Wave = waveId,
                        Environment = environment.Id,
                    },
                    ct
                );
            }
            catch (NoticeRelayException e)
            {
                logger.LogWarning(
                    "Wave {Wave}: reminder of {Environment} not sent: {Error}",
                    waveId,
                    environment.Id,
                    e.Message
                );
            }
        }
    }
}
