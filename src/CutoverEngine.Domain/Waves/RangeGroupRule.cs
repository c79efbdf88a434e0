namespace CutoverEngine.Domain.Waves;

/// <summary>
/// A wave (or a run) holds all of a range group or none of it: advertising the group's range moves every
/// environment in it, so a wave with part of the group would move the others unpaused and unverified. Not a policy
/// an override can waive.
/// </summary>
public static class RangeGroupRule
{
    public const string Rule = "range-group";

    /// <summary>One message per group the selection holds only part of, naming what it holds and what it
    /// misses.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<string> environmentIds, Inventory.Inventory inventory) =>
        [.. Violations(environmentIds, inventory).Select(v => v.Message)];

    /// <summary>As <see cref="Check"/>, as policy violations filed under the first environment held of each group
    /// (for `wave show`; <see cref="Require"/> refuses them before any override is asked).</summary>
    public static IReadOnlyList<PolicyViolation> Violations(
        IEnumerable<string> environmentIds,
        Inventory.Inventory inventory
    )
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var selected = new HashSet<string>(environmentIds, StringComparer.Ordinal);
        var violations = new List<PolicyViolation>();
        foreach (var group in inventory.RangeGroups)
        {
            var held = group.EnvironmentIds.Where(selected.Contains).ToList();
            if (held.Count == 0 || held.Count == group.Environments.Count)
                continue;
            var missing = group.EnvironmentIds.Except(held).ToList();
            violations.Add(
                new PolicyViolation(
                    held[0],
                    Rule,
                    $"range group '{group.Name}' ({group.Range}) is only partly included: it has {string.Join(", ", held)} "
                        + $"but not {string.Join(", ", missing)}; advertising the range moves them all, so add "
                        + $"{string.Join(", ", missing)} or remove {string.Join(", ", held)}"
                )
            );
        }
        return violations;
    }

    /// <exception cref="PartialRangeGroupException">The selection holds part of a group.</exception>
    public static void Require(string what, IEnumerable<string> environmentIds, Inventory.Inventory inventory)
    {
        var problems = Check(environmentIds, inventory);
        if (problems.Count > 0)
            throw new PartialRangeGroupException(what, problems);
    }
}
