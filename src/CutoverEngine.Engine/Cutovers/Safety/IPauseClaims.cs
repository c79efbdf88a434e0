using CutoverEngine.Domain.Safety;

namespace CutoverEngine.Engine.Cutovers.Safety;

/// <summary>
/// The pause slots of the safety caps (<see cref="SafetyOptions"/>), kept in the store every cutover writes, so
/// that the count is the store's and not one process's. One implementation per store: <see
/// cref="PauseClaimStore"/>.
/// </summary>
public interface IPauseClaims
{
    /// <summary>
    /// Claims a slot for each asking environment (all of one owner), atomically with counting the claims already
    /// held: two cutovers never both take the last slot. An owner that already holds its claims keeps them and is
    /// not counted twice. Claims of owners no longer in flight are dropped first.
    /// </summary>
    /// <returns>Null when claimed (or already held), else the cap that holds the cutover back; nothing is claimed
    /// then.</returns>
    Task<PauseHold?> TryClaimAsync(IReadOnlyList<PauseClaim> asking, CancellationToken ct = default);

    /// <summary>Releases every claim of <paramref name="owner"/>; releasing none is no error (a replay).</summary>
    Task ReleaseAsync(string owner, CancellationToken ct = default);

    /// <summary>The claims held now, oldest first.</summary>
    Task<IReadOnlyList<PauseClaim>> HeldAsync(CancellationToken ct = default);
}
