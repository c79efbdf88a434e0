namespace CutoverEngine.Sandbox.World;

/// <summary>
/// Who signed a request: an account's base user (its long-term key) or a session of an assumed role. The account is
/// the one the request acts in; <see cref="AllowedActions"/> is the role's policy (null: everything is allowed).
/// </summary>
public sealed record SandboxPrincipal(
    AccountState Account, string Arn, string UserId, string AccessKeyId, string SecretAccessKey,
    IReadOnlyList<string>? AllowedActions, RoleState? Role = null)
{
    /// <summary>Whether the principal's policy allows <paramref name="action"/> (e.g. <c>ec2:AssociateAddress</c>).</summary>
    public bool Allows(string action) =>
        AllowedActions is null || AllowedActions.Any(pattern => IamActionPattern.Matches(pattern, action));
}

/// <summary>IAM action patterns: case-insensitive, <c>*</c> any run of characters, <c>?</c> one character.</summary>
public static class IamActionPattern
{
    public static bool Matches(string pattern, string action)
    {
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(action, regex,
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }
}
