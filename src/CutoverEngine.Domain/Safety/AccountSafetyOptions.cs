namespace CutoverEngine.Domain.Safety;

/// <summary>One AWS account's cap (<c>Safety:Accounts:{accountId}</c>).</summary>
public sealed class AccountSafetyOptions
{
    /// <summary>At most this many environments of the account paused at once. No default: an entry names its cap
    /// (at least 1).</summary>
    public int MaxPaused { get; set; }
}
