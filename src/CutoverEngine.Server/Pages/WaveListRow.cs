using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Server.Pages;

/// <summary>One wave in the list, with its cutovers counted by the outcome the wave store recorded.</summary>
public sealed record WaveListRow(Wave Wave, int Completed, int RolledBack, int Failed, int InFlight, int NotStarted)
{
    /// <param name="cutovers">The wave's cutovers: environment -> outcome, null while in flight.</param>
    public static WaveListRow Of(Wave wave, IReadOnlyDictionary<string, string?> cutovers)
    {
        int completed = 0,
            rolledBack = 0,
            failed = 0,
            inFlight = 0;
        foreach (var environment in wave.Environments)
        {
            if (!cutovers.TryGetValue(environment, out var outcome))
                continue;
            switch (outcome)
            {
                case null:
                    inFlight++;
                    break;
                case CutoverOutcomes.Completed:
                    completed++;
                    break;
                case CutoverOutcomes.RolledBack:
                    rolledBack++;
                    break;
                default:
                    failed++;
                    break;
            }
        }
        return new WaveListRow(
            wave,
            completed,
            rolledBack,
            failed,
            inFlight,
            wave.Environments.Count - completed - rolledBack - failed - inFlight
        );
    }
}
