namespace CutoverEngine.Domain.Waves.Freezes;

/// <summary>
/// The change-freeze rule, its one home: no environment's window (<see cref="EnvironmentWindow"/>: from the wave's
/// start to the latest its pause may end) may overlap a freeze that holds for its customer. A freeze already
/// overridden for the wave as it stands no longer conflicts.
/// </summary>
public static class FreezeRule
{
    public const string RuleName = "freeze";

    public static IReadOnlyList<FreezeConflict> Conflicts(
        IReadOnlyList<EnvironmentWindow> windows,
        IReadOnlyList<ChangeFreeze> freezes,
        IReadOnlySet<string>? overridden = null
    ) =>
        [
            .. from window in windows
            from freeze in freezes
            where overridden?.Contains(freeze.Name) != true
            where freeze.AppliesTo(window.Environment) && freeze.Overlaps(window.Opens, window.Closes)
            select new FreezeConflict(freeze, window),
        ];
}
