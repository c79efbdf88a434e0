using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves;

/// <summary>The order a wave starts its cutovers in; the runner and the notices' windows both follow it.</summary>
public static class WaveSequence
{
    /// <summary>By tier (development, staging, production; listed order within a tier) or as listed.</summary>
    public static IReadOnlyList<CutoverEnvironment> Ordered(
        IReadOnlyList<CutoverEnvironment> environments,
        WaveOrder order
    ) => order == WaveOrder.Tier ? [.. environments.OrderBy(e => e.Tier)] : environments; // OrderBy is stable
}
