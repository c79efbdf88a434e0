namespace CutoverEngine.Domain.Safety;

/// <summary>
/// The rule of the safety caps: whether environments asking to pause together (one cutover: an environment, or a
/// range group) fit beside the claims already held. The claims of the asking cutover itself never count against
/// it, so asking again (a replayed step) is never held by its own claim. A cutover moving more environments than a
/// cap allows (a range group larger than the fleet cap) pauses when nothing else holds that cap, rather than never.
/// </summary>
public static class PauseCaps
{
    /// <returns>Null when the asking environments may pause now, else the first cap that holds them: a customer's
    /// production, then the account, then the fleet.</returns>
    public static PauseHold? Hold(
        IReadOnlyCollection<PauseClaim> claimed,
        IReadOnlyCollection<PauseClaim> asking,
        SafetyOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(asking);
        ArgumentNullException.ThrowIfNull(options);
        var owners = asking.Select(a => a.Owner).ToHashSet(StringComparer.Ordinal);
        var others = claimed.Where(c => !owners.Contains(c.Owner)).ToList();

        if (options.OneProductionPausePerCustomer)
            foreach (var customer in asking.Where(a => a.Production).Select(a => a.Customer).Distinct())
                if (Held(others.Where(c => c.Production && c.Customer == customer)) is { Count: > 0 } holders)
                    return new PauseHold(SafetyOptions.OneProductionPausePerCustomerSetting, 1, customer, holders);

        foreach (var account in asking.Select(a => a.Account).Distinct())
            if (
                options.MaxPausedIn(account) is { } cap
                && Held(others.Where(c => c.Account == account)) is { Count: > 0 } holders
                && holders.Count + asking.Count(a => a.Account == account) > cap
            )
                return new PauseHold(SafetyOptions.AccountSetting(account), cap, account, holders);

        if (
            options.MaxPausedEnvironments > 0
            && Held(others) is { Count: > 0 } paused
            && paused.Count + asking.Count > options.MaxPausedEnvironments
        )
            return new PauseHold(
                SafetyOptions.MaxPausedEnvironmentsSetting,
                options.MaxPausedEnvironments,
                null,
                paused
            );
        return null;
    }

    static List<string> Held(IEnumerable<PauseClaim> claims) =>
        [.. claims.Select(c => c.Environment).Distinct().Order(StringComparer.Ordinal)];
}
