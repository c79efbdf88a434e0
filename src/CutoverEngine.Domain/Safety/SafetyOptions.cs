namespace CutoverEngine.Domain.Safety;

/// <summary>
/// How many customers may be paused at once (section <c>Safety</c>), enforced before a cutover pauses
/// (<see cref="PauseCaps"/>). Every default is stated.
/// </summary>
public sealed class SafetyOptions
{
    public const string SectionName = "Safety";

    /// <summary>
    /// At most this many environments paused at once across every wave (and every engine on the store). Default 0:
    /// no fleet cap, because a wave's <c>parallel</c> already bounds its own cutovers and a number that suits one
    /// fleet (how many paused customers the support desk can field) is a decision for its operators, not a guess of
    /// ours that would silently slow every wave.
    /// </summary>
    public int MaxPausedEnvironments { get; set; }

    /// <summary>
    /// At most one production environment of one customer paused at a time. Default true: a customer whose
    /// production environments all stop at once has nothing left sending; the second waits until the first resumes.
    /// </summary>
    public bool OneProductionPausePerCustomer { get; set; } = true;

    /// <summary>Caps per AWS account, keyed by the account id (<c>Safety:Accounts:{accountId}:MaxPaused</c>). Default
    /// none.</summary>
    public Dictionary<string, AccountSafetyOptions> Accounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a held cutover sleeps (durably) before it asks for its slot again. Default 2 s: the engine's poll
    /// interval, so a slot freed is taken within about two polls, while the store is asked at most every 2 s per held
    /// cutover.
    /// </summary>
    public TimeSpan HoldRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The setting a fleet cap hold names.</summary>
    public const string MaxPausedEnvironmentsSetting = $"{SectionName}:{nameof(MaxPausedEnvironments)}";

    /// <summary>The setting a per-customer production hold names.</summary>
    public const string OneProductionPausePerCustomerSetting = $"{SectionName}:{nameof(OneProductionPausePerCustomer)}";

    /// <summary>The setting an account's hold names.</summary>
    public static string AccountSetting(string accountId) =>
        $"{SectionName}:{nameof(Accounts)}:{accountId}:{nameof(AccountSafetyOptions.MaxPaused)}";

    /// <summary>The account's cap, or null when it has none.</summary>
    public int? MaxPausedIn(string accountId) =>
        Accounts.TryGetValue(accountId, out var account) && account.MaxPaused > 0 ? account.MaxPaused : null;

    /// <summary>Problems with these settings, each naming its key.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxPausedEnvironments < 0)
            yield return $"{MaxPausedEnvironmentsSetting} must be 0 (no cap) or more (was {MaxPausedEnvironments})";
        foreach (var (id, account) in Accounts.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (id.Length != 12 || !id.All(char.IsAsciiDigit))
                yield return $"{SectionName}:{nameof(Accounts)}:{id}: an AWS account id is 12 digits";
            if (account is null || account.MaxPaused < 1)
                yield return $"{AccountSetting(id)} must be at least 1 (was {account?.MaxPaused ?? 0}); "
                    + "leave the account out for no cap";
        }
        if (HoldRetryInterval < TimeSpan.FromMilliseconds(100) || HoldRetryInterval > TimeSpan.FromMinutes(5))
            yield return $"{SectionName}:{nameof(HoldRetryInterval)} must be between 100 ms and 5 min "
                + $"(was {HoldRetryInterval})";
    }
}
