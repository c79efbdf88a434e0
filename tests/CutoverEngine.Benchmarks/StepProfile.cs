using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Benchmarks;

/// <summary>
/// Where the engine's time went, read back from its own journal: per step, how long it ran from its first start to
/// its completion (durable waits included), and the gap before it started: the time between the previous step's
/// completion record and this step's start record, which is pure engine overhead (WorkflowCore scheduling, the
/// persistence of the workflow after a step, the journal's serialized writes).
/// </summary>
public sealed record StepTiming(
    string Step,
    int Count,
    double MeanMs,
    double P95Ms,
    double MeanGapBeforeMs,
    double P50GapBeforeMs,
    double P95GapBeforeMs
);

/// <param name="Gaps">Every step-to-step gap of every cutover together, in milliseconds (the overhead
/// figure).</param>
/// <param name="WriteTransactions">Transactions committed on the engine's file (workflow persistence and journal
/// together).</param>
/// <param name="Writes">Writes in them (writes / transactions = the group commit's batch size).</param>
public sealed record StepProfile(
    long JournalEntries,
    IReadOnlyDictionary<string, long> EntriesByEvent,
    IReadOnlyList<StepTiming> Steps,
    Percentiles Gaps,
    long? WriteTransactions = null,
    long? Writes = null
)
{
    public static StepProfile Read(string databasePath)
    {
        using var c = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString()
        );
        c.Open();
        var byEvent = new Dictionary<string, long>();
        using (var q = c.CreateCommand())
        {
            q.CommandText = "SELECT event, COUNT(*) FROM journal GROUP BY event";
            using var r = q.ExecuteReader();
            while (r.Read())
                byEvent[r.GetString(0)] = r.GetInt64(1);
        }
        var durations = new Dictionary<string, List<double>>();
        var gaps = new Dictionary<string, List<double>>();
        var order = new List<string>();
        using (var q = c.CreateCommand())
        {
            q.CommandText =
                "SELECT instance, step, event, at FROM journal WHERE event IN ('step-started', 'step-completed') ORDER BY instance, seq";
            using var r = q.ExecuteReader();
            string? instance = null;
            DateTimeOffset? lastCompleted = null;
            var started = new Dictionary<string, DateTimeOffset>();
            while (r.Read())
            {
                var (inst, step, ev) = (r.GetString(0), r.GetString(1), r.GetString(2));
                var at = DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture);
                if (inst != instance)
                {
                    instance = inst;
                    lastCompleted = null;
                    started.Clear();
                }
                if (!order.Contains(step))
                    order.Add(step);
                if (ev == "step-started")
                {
                    started[step] = at;
                    if (lastCompleted is { } prev)
                        Add(gaps, step, (at - prev).TotalMilliseconds);
                }
                else if (started.TryGetValue(step, out var s))
                {
                    Add(durations, step, (at - s).TotalMilliseconds);
                    lastCompleted = at;
                }
            }
        }
        var steps = order
            .Where(durations.ContainsKey)
            .Select(s =>
            {
                var d = durations[s];
                var g = gaps.GetValueOrDefault(s) ?? [];
                var gp = Percentiles.Of(g);
                return new StepTiming(
                    s,
                    d.Count,
                    d.Average(),
                    P95(d),
                    g.Count == 0 ? 0 : g.Average(),
                    g.Count == 0 ? 0 : gp.P50,
                    g.Count == 0 ? 0 : gp.P95
                );
            })
            .ToList();
        return new StepProfile(byEvent.Values.Sum(), byEvent, steps, Percentiles.Of(gaps.Values.SelectMany(g => g)));
    }

    static void Add(Dictionary<string, List<double>> into, string key, double value)
    {
        if (!into.TryGetValue(key, out var list))
            into[key] = list = [];
        list.Add(value);
    }

    static double P95(List<double> values) => Percentiles.Of(values).P95;
}
