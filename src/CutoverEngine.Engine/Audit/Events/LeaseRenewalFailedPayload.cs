namespace CutoverEngine.Engine.Audit.Events;

/// <summary>Renewing the sending pause's lease failed; the lease still runs and the next step tries again.</summary>
public sealed record LeaseRenewalFailedPayload(string Error, DateTimeOffset? LeaseExpiresAt) : IJournalPayload
{
    public const string Event = "lease-renewal-failed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
