namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The cutover may not pause yet: a safety cap (<see cref="Domain.Safety.SafetyOptions"/>) is full. It keeps
/// sending and asks again; journaled once per distinct reason (cap and scope) while it waits. The wait is not
/// downtime.
/// </summary>
/// <param name="Cap">The setting that holds it, e.g. <c>Safety:MaxPausedEnvironments</c>.</param>
/// <param name="Within">The customer or account the cap counts within; null for the fleet.</param>
/// <param name="HeldBy">The environments holding the cap's slots when it was journaled.</param>
/// <param name="HeldSince">When the cutover was first held before this pause.</param>
public sealed record CutoverHeldPayload(
    string Cap,
    int Limit,
    string? Within,
    IReadOnlyList<string> HeldBy,
    DateTimeOffset HeldSince
) : IJournalPayload
{
    public const string Event = "cutover-held";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
