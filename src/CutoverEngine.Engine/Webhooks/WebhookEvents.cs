using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Webhooks;

/// <summary>
/// Which journal entries become webhook events, and under which names: the one home of that mapping (receivers'
/// <c>Events</c> filters are checked against <see cref="All"/>). A wave's events keep their journal names; a
/// cutover's incident is split by outcome, and a notice counts once it was sent (not when only rendered to a file).
/// </summary>
public static class WebhookEvents
{
    public const string WaveScheduled = WaveScheduledPayload.Event;
    public const string WaveRescheduled = WaveRescheduledPayload.Event;
    public const string WaveBlocked = WaveBlockedPayload.Event;
    public const string WaveStarted = WaveStartedPayload.Event;
    public const string WaveCompleted = WaveCompletedPayload.Event;
    public const string WaveStopped = WaveStoppedPayload.Event;
    public const string WaveMissed = WaveMissedPayload.Event;
    public const string WaveCancelled = WaveCancelledPayload.Event;
    public const string CutoverRolledBack = "cutover-rolled-back";
    public const string CutoverFailed = "cutover-failed";

    /// <summary>A rollback could not restore and holds sending paused for an operator (and again when the window
    /// budget ends while held): the page.</summary>
    public const string CutoverRollbackStuck = "cutover-rollback-stuck";
    public const string WindowBudgetWarning = WindowBudgetWarningPayload.Event;
    public const string NoticeSent = "notice-sent";
    public const string ApprovalNeeded = "approval-needed";

    /// <summary>Every webhook event name.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        WaveScheduled,
        WaveRescheduled,
        WaveBlocked,
        WaveStarted,
        WaveCompleted,
        WaveStopped,
        WaveMissed,
        WaveCancelled,
        CutoverRolledBack,
        CutoverFailed,
        CutoverRollbackStuck,
        WindowBudgetWarning,
        NoticeSent,
        ApprovalNeeded,
    ];

    /// <summary>The webhook event <paramref name="entry"/> is, or null when it is none.</summary>
    public static string? Of(JournalEntry entry) =>
        entry.Event switch
        {
            WaveScheduledPayload.Event
            or WaveRescheduledPayload.Event
            or WaveBlockedPayload.Event
            or WaveStartedPayload.Event
            or WaveCompletedPayload.Event
            or WaveStoppedPayload.Event
            or WaveMissedPayload.Event
            or WaveCancelledPayload.Event
            or WindowBudgetWarningPayload.Event => entry.Event,
            IncidentPayload.Event => JournalPayload.Parse(entry.Payload).String("outcome") switch
            {
                CutoverOutcomes.Failed => CutoverFailed,
                _ => CutoverRolledBack,
            },
            RollbackStuckPayload.Event => CutoverRollbackStuck,
            CustomerNotifiedPayload.Event => JournalPayload.Parse(entry.Payload).Boolean("sent") == true
                ? NoticeSent
                : null,
            CustomerRemindedPayload.Event => NoticeSent,
            WaveApprovalNeededPayload.Event => ApprovalNeeded,
            _ => null,
        };

    /// <summary>The event's id: the same on every attempt and after a restart, so receivers can deduplicate; the
    /// entry's hash prefix keeps ids of two databases apart.</summary>
    public static string IdOf(JournalEntry entry) =>
        $"evt-{entry.Sequence}-{(entry.Hash.Length >= 12 ? entry.Hash[..12] : entry.Hash)}";
}
