namespace CutoverEngine.Engine.Audit;

/// <summary>
/// The wire names of <see cref="CutoverOutcome"/>: what the journal's incident entries, the workflow data, the wave
/// store and the reports hold. Constants, so pages can switch on them.
/// </summary>
public static class CutoverOutcomes
{
    public const string Completed = "completed";
    public const string RolledBack = "rolled-back";
    public const string Failed = "failed";
    public const string RollbackStuck = "rollback-stuck";
    public const string InProgress = "in-progress";
    public const string NotStarted = "not-started";

    public static string ToWireName(this CutoverOutcome outcome) =>
        outcome switch
        {
            CutoverOutcome.Completed => Completed,
            CutoverOutcome.RolledBack => RolledBack,
            CutoverOutcome.Failed => Failed,
            CutoverOutcome.RollbackStuck => RollbackStuck,
            CutoverOutcome.InProgress => InProgress,
            CutoverOutcome.NotStarted => NotStarted,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a cutover outcome"),
        };

    /// <summary>The outcome a wire name stands for; null for null or a name no engine wrote.</summary>
    public static CutoverOutcome? FromWireName(string? name) =>
        name switch
        {
            Completed => CutoverOutcome.Completed,
            RolledBack => CutoverOutcome.RolledBack,
            Failed => CutoverOutcome.Failed,
            RollbackStuck => CutoverOutcome.RollbackStuck,
            InProgress => CutoverOutcome.InProgress,
            NotStarted => CutoverOutcome.NotStarted,
            _ => null,
        };
}
