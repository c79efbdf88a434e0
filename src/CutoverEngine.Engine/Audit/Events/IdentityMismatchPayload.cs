namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The credentials configured for an inventory account act in another account (sts:GetCallerIdentity): the cutover
/// stops in preflight, before any pause, and nothing is changed in either account.
/// </summary>
public sealed record IdentityMismatchPayload(
    string ExpectedAccount,
    string ActualAccount,
    string CallerArn,
    string Error
) : IJournalPayload
{
    public const string Event = "identity-mismatch";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
