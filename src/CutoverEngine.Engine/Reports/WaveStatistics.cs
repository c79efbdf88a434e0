using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Reports;

/// <summary>Counts and downtime percentiles over the wave.</summary>
public sealed record WaveStatistics
{
    public int Environments { get; init; }
    public IReadOnlyDictionary<string, int> Outcomes { get; init; } = new Dictionary<string, int>();

    /// <summary>Completed cutovers with a recorded downtime: the population of the percentiles.</summary>
    public int MeasuredCompleted { get; init; }

    /// <summary>Nearest-rank percentiles of the engine's downtime of completed cutovers; null when none
    /// completed.</summary>
    public double? DowntimeP50Seconds { get; init; }
    public double? DowntimeP95Seconds { get; init; }
    public double? DowntimeMaxSeconds { get; init; }

    /// <summary>Completed cutovers whose downtime went past 30 and 60 minutes.</summary>
    public int Over30Minutes { get; init; }
    public int Over60Minutes { get; init; }
    public int MeasurementDisagreements { get; init; }
    public int Rollbacks { get; init; }
    public int AwsAttempts { get; init; }
    public int AwsRetries { get; init; }
    public int AwsThrottles { get; init; }

    public static WaveStatistics Of(IReadOnlyList<EnvironmentHistory> environments)
    {
        var downtimes = environments
            .Where(e => e.Outcome == CutoverOutcomes.Completed && e.Downtime?.DowntimeSeconds is not null)
            .Select(e => e.Downtime!.DowntimeSeconds!.Value)
            .Order()
            .ToList();
        return new WaveStatistics
        {
            Environments = environments.Count,
            Outcomes = environments
                .GroupBy(e => e.Outcome)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            MeasuredCompleted = downtimes.Count,
            DowntimeP50Seconds = Percentile(downtimes, 50),
            DowntimeP95Seconds = Percentile(downtimes, 95),
            DowntimeMaxSeconds = downtimes.Count == 0 ? null : downtimes[^1],
            Over30Minutes = downtimes.Count(s => s > 30 * 60),
            Over60Minutes = downtimes.Count(s => s > 60 * 60),
            MeasurementDisagreements = environments.Count(e => e.Downtime?.MeasurementsDisagree == true),
            Rollbacks = environments.Count(e => e.Rollback is not null || e.Incident is not null),
            AwsAttempts = environments.Sum(e => e.Aws.Attempts),
            AwsRetries = environments.Sum(e => e.Aws.Retries),
            AwsThrottles = environments.Sum(e => e.Aws.Throttles),
        };
    }

    /// <summary>
    /// Nearest-rank percentile of an ascending list: the smallest value with at least p% of the values at or below
    /// it. Always an observed downtime, never an interpolation between two customers' numbers.
    /// </summary>
    public static double? Percentile(IReadOnlyList<double> ascending, double p)
    {
        if (ascending.Count == 0)
            return null;
        var rank = (int)Math.Ceiling(p / 100 * ascending.Count);
        return ascending[Math.Clamp(rank, 1, ascending.Count) - 1];
    }
}
