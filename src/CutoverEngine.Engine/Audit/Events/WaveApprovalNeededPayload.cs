namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// A scheduled wave lacks approvals after a change (scheduled, rescheduled, an environment moved in or out, an
/// approval revoked): written so that approvers are told in time (webhook `approval-needed`), not when the
/// scheduler finds the wave blocked at its start.
/// </summary>
/// <param name="Missing">What is missing, one line each, as <see cref="WaveBlockedPayload.Missing"/>.</param>
public sealed record WaveApprovalNeededPayload(
    DateTimeOffset? ScheduledFor,
    IReadOnlyList<string> Missing,
    int Valid,
    int Required
) : IJournalPayload
{
    public const string Event = "wave-approval-needed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
