using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Engine.Waves;

/// <summary>Runs a wave whose start was claimed (its row is already 'running').</summary>
public interface IWaveStarter
{
    Task StartClaimedAsync(Wave wave, string actor, CancellationToken ct = default);
}
