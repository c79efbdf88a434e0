namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// Before a cutover changes anything: do the credentials configured for the inventory's account act in that account?
/// A copy-paste slip in the settings (account A's role ARN under account B) would otherwise repoint another
/// customer's DNS.
/// </summary>
public interface IAccountIdentityCheck
{
    /// <summary>Null when the identity matches; else the error, already journaled, to fail the step with.</summary>
    Task<string?> MismatchAsync(CutoverContext run, CancellationToken ct);
}
