namespace CutoverEngine.Engine.Cutovers.OtherFunctions;

/// <summary>
/// One function's probes over one pause: how many, how many failed, and the latency of the answers that passed
/// (p50 by nearest rank, and the maximum). <paramref name="Affected"/>: it failed during the pause although it
/// answered before it.
/// </summary>
public sealed record OtherFunctionSeries(
    string Function,
    string Target,
    bool BaselineAvailable,
    int Probes,
    int Failures,
    double? P50LatencyMs,
    double? MaxLatencyMs,
    bool Affected,
    string? LastError
)
{
    public static OtherFunctionSeries Of(
        SubjectOtherFunction function,
        bool baselineAvailable,
        IReadOnlyList<OtherFunctionObservation> probes
    )
    {
        var latencies = probes.Where(p => p.Available).Select(p => p.LatencyMs).Order().ToList();
        var failures = probes.Count(p => !p.Available);
        return new OtherFunctionSeries(
            function.Name,
            OtherFunctionTargets.Of(function),
            baselineAvailable,
            probes.Count,
            failures,
            latencies.Count == 0 ? null : latencies[(int)Math.Ceiling(latencies.Count * 0.5) - 1],
            latencies.Count == 0 ? null : latencies[^1],
            baselineAvailable && failures > 0,
            probes.LastOrDefault(p => !p.Available)?.Error
        );
    }
}
