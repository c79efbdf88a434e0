using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// Whether a wave may start now, beyond its state and policy: its approvals (<see cref="ApprovalRule"/>). Read by
/// the manual start (which refuses) and by the scheduler (which journals `wave-blocked` and tries again within the
/// grace period), so both apply the same rule to the same records.
/// </summary>
public sealed class WaveAdmission(WaveStore store, Inventory inventory, ApprovalOptions options)
{
    public ApprovalOptions Options => options;

    /// <summary>What stops the wave from starting, one line each; empty when it may start.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(Wave wave, CancellationToken ct = default) =>
        ApprovalRule.Missing(
            wave,
            inventory.Select(wave.Environments),
            await store.CreatorAsync(wave.Id, ct),
            await store.ApprovalsAsync(wave.Id, ct),
            options
        );

    /// <summary>The approvals that count for the wave as it stands now, and how many it needs.</summary>
    public async Task<(IReadOnlyList<WaveApproval> Valid, int Required)> ApprovalStatusAsync(
        Wave wave,
        CancellationToken ct = default
    ) =>
        (
            ApprovalRule.Valid(wave, await store.CreatorAsync(wave.Id, ct), await store.ApprovalsAsync(wave.Id, ct)),
            ApprovalRule.Required(inventory.Select(wave.Environments), options).Count
        );
}
