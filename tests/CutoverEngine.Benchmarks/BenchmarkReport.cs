using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Benchmarks;

/// <summary>
/// The figures side by side, the quota bounds the engine is compared with, and the issue's targets (reported, not
/// asserted: a benchmark on a shared 2-core machine is evidence, not a gate).
/// </summary>
public sealed class BenchmarkReport
{
    public required BenchmarkOptions Options { get; init; }
    public required IReadOnlyList<ContestantResult> Results { get; init; }

    /// <summary>Route 53 change and confirmation calls per account, the source of the Route 53 quota bound.</summary>
    public required IReadOnlyDictionary<string, long> BoundCalls { get; init; }
    public required string BoundSource { get; init; }
    public required double Route53RequestsPerSecond { get; init; }

    /// <summary>The busiest account's change and confirmation calls at 5 per second: no cutover of these records can
    /// finish sooner.</summary>
    public double Route53QuotaBoundSeconds =>
        BoundCalls.Count == 0 ? 0 : BoundCalls.Values.Max() / Route53RequestsPerSecond;

    /// <summary>The busiest account's BYOIP advertisements at the sandbox's BYOIP quota, plus the last one's
    /// propagation.</summary>
    public required double ByoipQuotaBoundSeconds { get; init; }
    public required IReadOnlyDictionary<string, int> ByoipRangesPerAccount { get; init; }

    /// <summary>The larger of the two bounds: the one that binds this topology's wave.</summary>
    public double BindingBoundSeconds => Math.Max(Route53QuotaBoundSeconds, ByoipQuotaBoundSeconds);
    public string BindingBoundName => ByoipQuotaBoundSeconds > Route53QuotaBoundSeconds ? "BYOIP" : "Route 53";

    ContestantResult Engine => Results.Single(r => r.Name == "engine");
    ContestantResult? BaselineA => Results.SingleOrDefault(r => r.Name == "baseline-a-runbook");

    public static BenchmarkReport Build(BenchmarkOptions o, IReadOnlyList<ContestantResult> results)
    {
        var topology = BenchmarkWorld.TopologyFor(o);
        var s = topology.Settings;
        var a = results.SingleOrDefault(r => r.Name == "baseline-a-runbook");
        IReadOnlyDictionary<string, long> calls;
        string source;
        if (a is not null)
        {
            calls = a.ChangeAndConfirmationCallsPerAccount;
            source = "measured: ChangeResourceRecordSets + GetChange accepted during baseline A, busiest account";
        }
        else
        {
            // Baseline A polls GetChange every second after a one-second wait: ceil(delay) polls, at least one.
            var perEnvironment = 1 + Math.Max(1, (long)Math.Ceiling(s.InsyncDelaySeconds));
            calls = topology
                .Environments.Where(e => e.IpStrategy != "byoip")
                .GroupBy(e => e.Account)
                .ToDictionary(g => g.Key, g => g.LongCount() * perEnvironment);
            source =
                $"estimated (baselines skipped): per Elastic-IP environment 1 change + {perEnvironment - 1} GetChange polls at 1 s, busiest account";
        }
        var byoip = topology
            .Environments.Where(e => e.IpStrategy == "byoip")
            .GroupBy(e => e.Account)
            .ToDictionary(g => g.Key, g => g.Count());
        var byoipBound =
            byoip.Count == 0
                ? 0
                : byoip.Values.Max(count =>
                    Math.Max(0, count - s.Ec2Byoip.Burst) / s.Ec2Byoip.PerSecond + s.ByoipPropagationSeconds
                );
        return new BenchmarkReport
        {
            Options = o,
            Results = results,
            BoundCalls = calls,
            BoundSource = source,
            Route53RequestsPerSecond = s.Route53RequestsPerSecond,
            ByoipQuotaBoundSeconds = byoipBound,
            ByoipRangesPerAccount = byoip,
        };
    }

    sealed record Target(string Name, string Goal, double? Value, bool? Met);

    IReadOnlyList<Target> Targets()
    {
        var e = Engine;
        var added = e.AddedDowntime();
        var list = new List<Target>();
        var bound = Route53QuotaBoundSeconds;
        if (bound > 0)
            list.Add(
                new(
                    "engine wall time / Route 53 quota bound",
                    "<= 1.25",
                    e.WallSeconds / bound,
                    e.WallSeconds / bound <= 1.25
                )
            );
        if (BindingBoundSeconds > 0)
            list.Add(
                new(
                    $"engine wall time / binding bound ({BindingBoundName})",
                    "<= 1.25 (context)",
                    e.WallSeconds / BindingBoundSeconds,
                    e.WallSeconds / BindingBoundSeconds <= 1.25
                )
            );
        if (BaselineA is { } a)
            list.Add(
                new(
                    "engine wall time / baseline A",
                    "<= 0.1",
                    e.WallSeconds / a.WallSeconds,
                    e.WallSeconds / a.WallSeconds <= 0.1
                )
            );
        list.Add(new("engine-added downtime p50 (s)", "<= 0.2", added.P50, added.P50 <= 0.2));
        list.Add(new("engine-added downtime p95 (s)", "<= 1", added.P95, added.P95 <= 1));
        list.Add(
            new(
                "engine throttled Route 53 calls",
                Options.FaultRate == 0 ? "0" : "0 (target at fault rate 0 only)",
                e.Counts.Route53Throttled,
                Options.FaultRate == 0 ? e.Counts.Route53Throttled == 0 : null
            )
        );
        list.Add(
            new(
                "engine peak working set (MB, process incl. sandbox)",
                "<= 1024",
                e.PeakWorkingSetBytes / 1048576.0,
                e.PeakWorkingSetBytes <= 1L << 30
            )
        );
        // Each environment against its own window budget (the inventory's override, else the definition's), as the
        // engine had it.
        var within = e.Environments.Count(r =>
            r.Outcome == "completed" && r.DowntimeSeconds is { } d && r.WindowBudgetSeconds is { } b && d <= b
        );
        list.Add(
            new(
                "engine cutovers completed within their window budget",
                $"{e.Environments.Count}",
                within,
                within == e.Environments.Count
            )
        );
        if (e.Profile is { Gaps.Count: > 0 } profile)
        {
            list.Add(new("engine step-to-step gap p50 (ms)", "a few ms", profile.Gaps.P50, null));
            list.Add(new("engine step-to-step gap p95 (ms)", "< 100", profile.Gaps.P95, profile.Gaps.P95 < 100));
        }
        return list;
    }

    public void WriteText(TextWriter w)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine();
        w.WriteLine(
            $"{"CONTESTANT", -26} {"WALL", 9} {"DONE", 9} {"R53 CALLS", 9} {"R53 THR", 8} {"EC2 CALLS", 9} {"EC2 THR", 8}  {"DOWNTIME p50/p95/max", 22}  {"ADDED p50/p95/max", 22}"
        );
        foreach (var r in Results)
        {
            var d = r.Downtime;
            var x = r.AddedDowntime();
            w.WriteLine(
                string.Create(
                    inv,
                    $"{r.Name, -26} {r.WallSeconds, 8:0.0}s {r.Completed + "/" + r.Environments.Count, 9} {r.Counts.Route53Calls, 9} {r.Counts.Route53Throttled, 8} {r.Counts.Ec2Calls, 9} {r.Counts.Ec2Throttled, 8}  {Triple(d), 22}  {Triple(x), 22}"
                )
            );
        }
        w.WriteLine();
        foreach (var r in Results)
            w.WriteLine($"{r.Name}: {r.Description}");
        var e = Engine;
        w.WriteLine();
        w.WriteLine(
            string.Create(
                inv,
                $"Engine start-up (definitions, SQLite schema, WorkflowCore): {e.StartupSeconds:0.00} s; peak working set {e.PeakWorkingSetBytes / 1048576.0:0} MB (whole process, sandbox included)"
            )
        );
        w.WriteLine(
            $"Engine-added downtime, Elastic IP: {Triple(e.AddedDowntime(r => r.Strategy == IpStrategy.ElasticIp))} (n={e.AddedDowntime(r => r.Strategy == IpStrategy.ElasticIp).Count}); "
                + $"BYOIP: {Triple(e.AddedDowntime(r => r.Strategy == IpStrategy.Byoip))} (n={e.AddedDowntime(r => r.Strategy == IpStrategy.Byoip).Count})"
        );
        w.WriteLine(
            $"Engine Route 53 calls by operation: {string.Join(", ", e.Counts.Route53ByOperation.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}"
        );
        w.WriteLine(
            $"Engine EC2 calls by operation: {string.Join(", ", e.Counts.Ec2ByOperation.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}"))}"
        );
        if (e.Profile is { } profile)
        {
            w.WriteLine(
                $"Engine journal: {profile.JournalEntries} entries ({string.Join(", ", profile.EntriesByEvent.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"))})"
            );
            if (profile.WriteTransactions is { } tx and > 0)
                w.WriteLine(
                    string.Create(
                        inv,
                        $"  group commit: {profile.Writes} writes (journal entries and workflow persistence) in {tx} transactions, {(double)profile.Writes! / tx:0.0} per commit"
                    )
                );
            w.WriteLine(
                string.Create(
                    inv,
                    $"  step-to-step gap (previous step's completion to next step's start, all cutovers): p50 {profile.Gaps.P50:0.0} ms, p95 {profile.Gaps.P95:0.0} ms, max {profile.Gaps.Max:0.0} ms (n={profile.Gaps.Count})"
                )
            );
            w.WriteLine($"  {"STEP", -18} {"N", 5} {"MEAN", 9} {"P95", 9} {"GAP BEFORE mean/p50/p95", 26}");
            foreach (var t in profile.Steps)
                w.WriteLine(
                    string.Create(
                        inv,
                        $"  {t.Step, -18} {t.Count, 5} {t.MeanMs, 7:0}ms {t.P95Ms, 7:0}ms {t.MeanGapBeforeMs, 10:0.0}/{t.P50GapBeforeMs:0.0}/{t.P95GapBeforeMs:0.0}ms"
                    )
                );
        }
        w.WriteLine(
            string.Create(
                inv,
                $"Route 53 quota bound: {Route53QuotaBoundSeconds:0.0} s = {(BoundCalls.Count == 0 ? 0 : BoundCalls.Values.Max())} calls / {Route53RequestsPerSecond} per s ({BoundSource})"
            )
        );
        w.WriteLine(
            string.Create(
                inv,
                $"BYOIP quota bound: {ByoipQuotaBoundSeconds:0.0} s (busiest account advertises {(ByoipRangesPerAccount.Count == 0 ? 0 : ByoipRangesPerAccount.Values.Max())} ranges at the sandbox's BYOIP quota, plus propagation)"
            )
        );
        if (BindingBoundSeconds > 0)
            w.WriteLine(
                string.Create(
                    inv,
                    $"Binding bound: {BindingBoundName}, {BindingBoundSeconds:0.0} s; engine wall time {e.WallSeconds:0.0} s = {e.WallSeconds / BindingBoundSeconds:0.00} x the binding bound, {(Route53QuotaBoundSeconds > 0 ? e.WallSeconds / Route53QuotaBoundSeconds : double.NaN):0.00} x the Route 53 bound"
                )
            );
        var budgeted = e.Environments.Where(r => r.WindowBudgetSeconds is not null).ToList();
        var within = budgeted.Count(r => r.Outcome == "completed" && r.DowntimeSeconds <= r.WindowBudgetSeconds);
        var budgetRange =
            budgeted.Count == 0
                ? ""
                : string.Create(
                    inv,
                    $" (budgets {budgeted.Min(r => r.WindowBudgetSeconds!.Value) / 60:0.#}-{budgeted.Max(r => r.WindowBudgetSeconds!.Value) / 60:0.#} min; largest share used {budgeted.Where(r => r.DowntimeSeconds is not null).Select(r => r.DowntimeSeconds!.Value / r.WindowBudgetSeconds!.Value).DefaultIfEmpty().Max():P1})"
                );
        w.WriteLine(
            $"Window budgets: {within} of {e.Environments.Count} cutovers completed within their own window budget{budgetRange}"
        );
        w.WriteLine(
            string.Create(
                inv,
                $"Topology: {Options.Environments} environments, {Options.Accounts} accounts, BYOIP share {Options.ByoipShare:0.###} ({Results[0].Environments.Count(r => r.Strategy == IpStrategy.Byoip)} BYOIP environments)"
            )
        );
        foreach (var r in Results.Where(r => r.Completed < r.Environments.Count))
        foreach (var f in r.Environments.Where(x => x.Outcome != "completed").Take(5))
            w.WriteLine($"  {r.Name} {f.EnvironmentId}: {f.Outcome} {f.Problem}");
        w.WriteLine();
        w.WriteLine("Targets (reported, not asserted):");
        foreach (var t in Targets())
            w.WriteLine(
                string.Create(
                    inv,
                    $"  {(t.Met switch { true => "met ", false => "MISS", null => "  - " })}  {t.Name}: {t.Value:0.###} (goal {t.Goal})"
                )
            );
    }

    static string Triple(Percentiles p) =>
        p.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{p.P50:0.00}/{p.P95:0.00}/{p.Max:0.00}s");

    public string ToJson()
    {
        static JsonObject Stats(Percentiles p) =>
            new()
            {
                ["count"] = p.Count,
                ["p50"] = Num(p.P50),
                ["p95"] = Num(p.P95),
                ["max"] = Num(p.Max),
            };
        static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 3)) : null;
        var root = new JsonObject
        {
            ["date"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["processors"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["runtime"] = Environment.Version.ToString(),
            },
            ["parameters"] = new JsonObject
            {
                ["environments"] = Options.Environments,
                ["insyncDelaySeconds"] = Options.InsyncDelaySeconds,
                ["faultRate"] = Options.FaultRate,
                ["seed"] = Options.Seed,
                ["accounts"] = Options.Accounts,
                ["byoipShare"] = Options.ByoipShare,
                ["skipBaselines"] = Options.SkipBaselines,
                ["mail"] = Options.Mail,
                ["definitionPollSeconds"] = Options.DefinitionPollSeconds,
                ["maxConcurrentWorkflows"] = Options.MaxConcurrentWorkflows ?? Options.Environments,
                ["synchronous"] = Options.Synchronous ?? "full",
            },
            ["route53QuotaBound"] = new JsonObject
            {
                ["seconds"] = Num(Route53QuotaBoundSeconds),
                ["callsPerAccount"] = JsonSerializer.SerializeToNode(BoundCalls),
                ["source"] = BoundSource,
            },
            ["byoipQuotaBound"] = new JsonObject
            {
                ["seconds"] = Num(ByoipQuotaBoundSeconds),
                ["rangesPerAccount"] = JsonSerializer.SerializeToNode(ByoipRangesPerAccount),
            },
            ["bindingBound"] = new JsonObject { ["name"] = BindingBoundName, ["seconds"] = Num(BindingBoundSeconds) },
            ["contestants"] = new JsonArray([
                .. Results.Select(r =>
                    (JsonNode)
                        new JsonObject
                        {
                            ["name"] = r.Name,
                            ["description"] = r.Description,
                            ["wallSeconds"] = Num(r.WallSeconds),
                            ["completed"] = r.Completed,
                            ["environments"] = r.Environments.Count,
                            ["route53Calls"] = r.Counts.Route53Calls,
                            ["route53Throttled"] = r.Counts.Route53Throttled,
                            ["route53ByOperation"] = JsonSerializer.SerializeToNode(r.Counts.Route53ByOperation),
                            ["ec2Calls"] = r.Counts.Ec2Calls,
                            ["ec2Throttled"] = r.Counts.Ec2Throttled,
                            ["ec2ByOperation"] = JsonSerializer.SerializeToNode(r.Counts.Ec2ByOperation),
                            ["downtimeSeconds"] = Stats(r.Downtime),
                            ["addedDowntimeSeconds"] = Stats(r.AddedDowntime()),
                            ["addedDowntimeSecondsElasticIp"] = Stats(
                                r.AddedDowntime(x => x.Strategy == IpStrategy.ElasticIp)
                            ),
                            ["addedDowntimeSecondsByoip"] = Stats(r.AddedDowntime(x => x.Strategy == IpStrategy.Byoip)),
                            ["peakWorkingSetBytes"] = r.PeakWorkingSetBytes,
                            ["startupSeconds"] = r.StartupSeconds is { } st ? Num(st) : null,
                            ["journal"] = r.Profile is not { } pr
                                ? null
                                : new JsonObject
                                {
                                    ["entries"] = pr.JournalEntries,
                                    ["writeTransactions"] = pr.WriteTransactions,
                                    ["writes"] = pr.Writes,
                                    ["gapMs"] = Stats(pr.Gaps),
                                    ["byEvent"] = JsonSerializer.SerializeToNode(pr.EntriesByEvent),
                                    ["steps"] = new JsonArray([
                                        .. pr.Steps.Select(t =>
                                            (JsonNode)
                                                new JsonObject
                                                {
                                                    ["step"] = t.Step,
                                                    ["count"] = t.Count,
                                                    ["meanMs"] = Num(t.MeanMs),
                                                    ["p95Ms"] = Num(t.P95Ms),
                                                    ["meanGapBeforeMs"] = Num(t.MeanGapBeforeMs),
                                                    ["p50GapBeforeMs"] = Num(t.P50GapBeforeMs),
                                                    ["p95GapBeforeMs"] = Num(t.P95GapBeforeMs),
                                                }
                                        ),
                                    ]),
                                },
                            ["withinWindowBudget"] = r.Environments.Any(x => x.WindowBudgetSeconds is not null)
                                ? r.Environments.Count(x =>
                                    x.Outcome == "completed" && x.DowntimeSeconds <= x.WindowBudgetSeconds
                                )
                                : null,
                            ["failures"] = new JsonArray([
                                .. r
                                    .Environments.Where(x => x.Outcome != "completed")
                                    .Select(x =>
                                        (JsonNode)
                                            new JsonObject
                                            {
                                                ["id"] = x.EnvironmentId,
                                                ["outcome"] = x.Outcome,
                                                ["problem"] = x.Problem,
                                            }
                                    ),
                            ]),
                        }
                ),
            ]),
            ["targets"] = new JsonArray([
                .. Targets()
                    .Select(t =>
                        (JsonNode)
                            new JsonObject
                            {
                                ["name"] = t.Name,
                                ["goal"] = t.Goal,
                                ["value"] = t.Value is { } v ? Num(v) : null,
                                ["met"] = t.Met,
                            }
                    ),
            ]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
