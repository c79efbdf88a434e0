using System.Diagnostics;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;
using Polly.Timeout;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>Looks at the outside world again and again within one step run, instead of one look per durable
/// wait.</summary>
public static class Watch
{
    /// <summary>
    /// Runs <paramref name="probe"/> every <paramref name="interval"/> until it says done (true) or <paramref
    /// name="window"/>
    /// has passed (false). The first look is immediate.
    /// </summary>
    public static async Task<bool> UntilAsync(
        TimeProvider clock,
        TimeSpan interval,
        TimeSpan window,
        Func<CancellationToken, Task<bool>> probe,
        CancellationToken ct
    )
    {
        var started = clock.GetTimestamp();
        while (true)
        {
            if (await probe(ct))
                return true;
            if (clock.GetElapsedTime(started) + interval > window)
                return false;
            await Task.Delay(interval, clock, ct);
        }
    }
}
