namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A person withdrew their approval of the wave (<paramref name="Revoked"/> standing approvals).</summary>
public sealed record WaveApprovalRevokedPayload(string Person, string Reason, int Revoked, int Valid, int Required)
    : IJournalPayload
{
    public const string Event = "wave-approval-revoked";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
