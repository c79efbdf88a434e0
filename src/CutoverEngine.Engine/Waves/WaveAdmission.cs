using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves.Freezes;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// Whether a wave may start now, beyond its state and policy: its approvals (<see cref="ApprovalRule"/>) and, for
/// the scheduler, the change freezes (<see cref="WaveFreezes"/>). Read by the manual start (which refuses) and by
/// the scheduler (which journals `wave-blocked` and tries again within the grace period), so both apply the same
/// rules to the same records.
/// </summary>
public sealed class WaveAdmission(
    WaveStore store,
    Inventory inventory,
    ApprovalOptions options,
    WaveFreezes? freezes = null
)
{
    public ApprovalOptions Options => options;

    /// <summary>What stops the scheduled wave from starting at its time, one line each: approvals, then freezes
    /// not overridden (a calendar that cannot be read is one such line: fail closed).</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(Wave wave, CancellationToken ct = default)
    {
        var missing = new List<string>(await MissingApprovalsAsync(wave, ct));
        if (freezes is null)
            return missing;
        try
        {
            var start = wave.ScheduledFor ?? wave.PlannedStart;
            missing.AddRange((await freezes.ConflictsAsync(wave, start, ct)).Select(c => "frozen: " + c.Message));
        }
        catch (FreezeCalendarException e)
        {
            missing.Add(e.Message);
        }
        return missing;
    }

    /// <summary>The approvals missing, one line; empty when it has them.</summary>
    public async Task<IReadOnlyList<string>> MissingApprovalsAsync(Wave wave, CancellationToken ct = default) =>
        ApprovalRule.Missing(
            wave,
            inventory.Select(wave.Environments),
            await store.CreatorAsync(wave.Id, ct),
            await store.ApprovalsAsync(wave.Id, ct),
            options,
            await NotBeforeAsync(wave, ct)
        );

    /// <summary>The approvals that count for the wave as it stands now, and how many it needs.</summary>
    public async Task<(IReadOnlyList<WaveApproval> Valid, int Required)> ApprovalStatusAsync(
        Wave wave,
        CancellationToken ct = default
    ) =>
        (
            ApprovalRule.Valid(
                wave,
                await store.CreatorAsync(wave.Id, ct),
                await store.ApprovalsAsync(wave.Id, ct),
                await NotBeforeAsync(wave, ct)
            ),
            ApprovalRule.Required(inventory.Select(wave.Environments), options).Count
        );

    Task<DateTimeOffset?> NotBeforeAsync(Wave wave, CancellationToken ct) =>
        freezes?.LastOverrideAsync(wave, ct) ?? Task.FromResult<DateTimeOffset?>(null);
}
