using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent;

/// <summary>
/// <c>cutover agent check</c>: for each environment, asks its driver for the MTA's state (a read only: nothing is
/// paused, no lease is touched, the state file is not written). Returns the failures, each naming the environment.
/// </summary>
public static class AgentCheck
{
    public static async Task<IReadOnlyList<string>> RunAsync(
        AgentConfig config,
        TextWriter output,
        CancellationToken ct
    )
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var failures = new List<string>();
        foreach (var (id, environment) in config.Environments.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var driver = MtaDrivers.Create(environment, http);
            try
            {
                var s = await driver.StatusAsync(ct);
                output.WriteLine(
                    $"{id}: {driver.Name} reachable: paused={(s.Paused ? "yes" : "no")}, queue {s.QueueDepth}, "
                        + $"deferred {s.Deferred}{(s.ForeignPause is { } f ? $"; WARNING: {f}" : "")}{(s.Detail is { } d ? $" ({d})" : "")}"
                );
            }
            catch (MtaDriverException e)
            {
                failures.Add($"{id}: {driver.Name}: {e.Message}");
            }
        }
        return failures;
    }
}
