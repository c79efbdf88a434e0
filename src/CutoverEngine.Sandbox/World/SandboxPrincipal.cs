namespace CutoverEngine.Sandbox.World;

/// <summary>
/// Who signed a request: an account's base user (its long-term key) or a session of an assumed role. The account is
/// the one the request acts in; <see cref="AllowedActions"/> is the role's policy (null: everything is allowed).
/// </summary>
public sealed record SandboxPrincipal(
    AccountState Account,
    string Arn,
    string UserId,
    string AccessKeyId,
    string SecretAccessKey,
    IReadOnlyList<string>? AllowedActions,
    RoleState? Role = null
)
{
    /// <summary>Whether the principal's policy allows <paramref name="action"/> (e.g.
    /// <c>ec2:AssociateAddress</c>).</summary>
    public bool Allows(string action) =>
        AllowedActions is null || AllowedActions.Any(pattern => IamActionPattern.Matches(pattern, action));
}
