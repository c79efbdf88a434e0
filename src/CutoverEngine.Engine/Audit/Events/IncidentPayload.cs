using CutoverEngine.Engine.Cutovers.Steps;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// A rolled-back (or failed) cutover closed: its cause, what the rollback could not restore, the downtime.
/// </summary>
/// <param name="Outcome">A <see cref="CutoverOutcomes"/> wire name: rolled-back or failed.</param>
public sealed record IncidentPayload(
    string Outcome,
    string? Cause,
    string? AtStep,
    IReadOnlyList<string> Problems,
    Downtime Downtime
) : IJournalPayload
{
    public const string Event = "incident";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
