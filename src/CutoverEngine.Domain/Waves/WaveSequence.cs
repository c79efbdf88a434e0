using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>The order a wave starts its cutovers in; the runner and the notices' windows both follow it.</summary>
public static class WaveSequence
{
    /// <summary>By tier (development, staging, production; listed order within a tier) or as listed; the
    /// environments of a range group follow each other (<see cref="Moves"/>).</summary>
    public static IReadOnlyList<CutoverEnvironment> Ordered(
        IReadOnlyList<CutoverEnvironment> environments,
        WaveOrder order
    ) => [.. Moves(environments, order).SelectMany(move => move)];

    /// <summary>
    /// What moves together, in start order: each range group (environments sharing a `rangeGroup`) as one move at
    /// the place of its first environment in that order, every other environment alone. Within a group the lead
    /// comes first: the environment whose range holds the others, which is the range advertised. A wave holds whole
    /// groups (<see cref="RangeGroupRule"/>), so the group is complete here.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<CutoverEnvironment>> Moves(
        IReadOnlyList<CutoverEnvironment> environments,
        WaveOrder order
    )
    {
        ArgumentNullException.ThrowIfNull(environments);
        // OrderBy is stable: listed order within a tier.
        var ordered = order == WaveOrder.Tier ? [.. environments.OrderBy(e => e.Tier)] : environments;
        var moves = new List<IReadOnlyList<CutoverEnvironment>>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var environment in ordered)
        {
            if (!placed.Add(environment.Id))
                continue;
            if (environment.RangeGroup is not { } group)
            {
                moves.Add([environment]);
                continue;
            }
            var members = ordered
                .Where(e => string.Equals(e.RangeGroup, group, StringComparison.Ordinal))
                .DistinctBy(e => e.Id)
                .ToList();
            var widest = members.Where(e => e.ByoipCidr is not null).MinBy(e => e.ByoipCidr!.Value.PrefixLength);
            moves.Add([.. members.OrderBy(e => e == widest ? 0 : 1)]);
            placed.UnionWith(members.Select(e => e.Id));
        }
        return moves;
    }
}
