namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A person approved the wave as it stands (its environments, order, parallel and time: <paramref
/// name="Terms"/>); a later change of any of them voids the approval.</summary>
/// <param name="Person">Who approved, as counted for the distinct-people rule.</param>
/// <param name="Valid">Approvals that count after this one; <paramref name="Required"/> are needed.</param>
public sealed record WaveApprovedPayload(string Person, string Reason, string Terms, int Valid, int Required)
    : IJournalPayload
{
    public const string Event = "wave-approved";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
