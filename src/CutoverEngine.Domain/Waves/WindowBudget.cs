using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>
/// How long one environment's sending may stay paused: the inventory's override (windowBudgetMinutes), else the
/// cutover definition's budget. The one home of that rule: the step frame rolls back past it, the launcher measures
/// downtime against it, and the notices tell customers it.
/// </summary>
public static class WindowBudget
{
    /// <summary>
    /// The share of the budget a pause may use before people are warned (journaled window-budget-warning, sent to
    /// webhooks): 0.8 leaves a fifth of the budget, 12 minutes of the default 60, to act before the rollback.
    /// </summary>
    public const double WarningShare = 0.8;

    /// <summary>True once a pause of <paramref name="paused"/> has used <see cref="WarningShare"/> of
    /// <paramref name="budget"/>.</summary>
    public static bool IsNearlySpent(TimeSpan paused, TimeSpan budget) =>
        budget > TimeSpan.Zero && paused >= budget * WarningShare;

    public static TimeSpan For(TimeSpan? inventoryOverride, TimeSpan definitionBudget) =>
        inventoryOverride ?? definitionBudget;

    public static TimeSpan For(CutoverEnvironment environment, TimeSpan definitionBudget) =>
        For(environment.WindowBudget, definitionBudget);

    /// <param name="overrideMinutes">The override as a cutover's stored subject carries it, in minutes.</param>
    public static TimeSpan For(double? overrideMinutes, TimeSpan definitionBudget) =>
        For(overrideMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null, definitionBudget);
}
