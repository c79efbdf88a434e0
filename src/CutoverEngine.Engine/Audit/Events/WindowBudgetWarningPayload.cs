namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// A paused cutover has used <see cref="Domain.Waves.WindowBudget.WarningShare"/> of its window budget: people are
/// told while there is still time to act, before the frame turns it to its rollback at the budget's end.
/// </summary>
/// <param name="BudgetSeconds">The environment's window budget.</param>
/// <param name="UsedShare">The share used when the warning was written (0.8 or a little more).</param>
public sealed record WindowBudgetWarningPayload(
    DateTimeOffset PausedAt,
    double BudgetSeconds,
    double PausedSeconds,
    double UsedShare
) : IJournalPayload
{
    public const string Event = "window-budget-warning";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
