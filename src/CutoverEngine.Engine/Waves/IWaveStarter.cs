using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Waves;

/// <summary>Runs a wave whose start was claimed (its row is already 'running').</summary>
public interface IWaveStarter
{
    Task StartClaimedAsync(Wave wave, string actor, CancellationToken ct = default);
}
