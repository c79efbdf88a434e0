using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Domain.Waves.Freezes;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Waves.Freezes;

/// <summary>
/// The freeze rule (<see cref="FreezeRule"/>) applied to a stored wave: its windows as the definition it would run
/// states them, the calendar now, and the overrides recorded for the wave as it stands (<see
/// cref="ApprovalRule.Terms"/>: a reschedule or a move needs its own override). Read by scheduling and the manual
/// start (policy violations an override reason may waive) and by the scheduler (a blocked start).
/// </summary>
public sealed class WaveFreezes(
    FreezeCalendar calendar,
    WaveStore store,
    Inventory inventory,
    DefinitionCatalog definitions
)
{
    /// <summary>The conflicts of <paramref name="wave"/>'s windows if it starts at <paramref name="start"/>, less the
    /// freezes already overridden for its terms.</summary>
    public async Task<IReadOnlyList<FreezeConflict>> ConflictsAsync(
        Wave wave,
        DateTimeOffset start,
        CancellationToken ct = default
    )
    {
        var freezes = calendar.Current();
        if (freezes.Count == 0)
            return [];
        var budget = definitions.Latest(CutoverLauncher.DefinitionId).WindowBudget;
        var windows = EnvironmentWindow.InWave(
            wave with
            {
                ScheduledFor = start,
            },
            inventory.Select(wave.Environments),
            budget
        );
        var overridden = await store.FreezeOverridesAsync(wave.Id, ApprovalRule.Terms(wave), ct);
        return FreezeRule.Conflicts(
            windows,
            freezes,
            overridden.Select(o => o.Freeze).ToHashSet(StringComparer.Ordinal)
        );
    }

    /// <summary>Records that <paramref name="conflicts"/>' freezes were overridden for the wave as it stands.</summary>
    public Task RecordOverrideAsync(
        Wave wave,
        IReadOnlyList<FreezeConflict> conflicts,
        PolicyOverride decision,
        CancellationToken ct = default
    ) =>
        store.RecordFreezeOverridesAsync(
            wave.Id,
            ApprovalRule.Terms(wave),
            [.. conflicts.Select(c => c.Freeze.Name).Distinct(StringComparer.Ordinal)],
            decision,
            ct
        );

    /// <summary>When a freeze was last overridden for the wave as it stands; approvals before it no longer
    /// count.</summary>
    public async Task<DateTimeOffset?> LastOverrideAsync(Wave wave, CancellationToken ct = default) =>
        (await store.FreezeOverridesAsync(wave.Id, ApprovalRule.Terms(wave), ct)) is { Count: > 0 } overrides
            ? overrides.Max(o => o.At)
            : null;
}
