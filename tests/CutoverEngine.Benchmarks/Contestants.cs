using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CutoverEngine.Aws;
using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Sending;
using CutoverEngine.Sending.SendingControl;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Benchmarks;

/// <summary>What one contestant achieved on its own fresh sandbox.</summary>
public sealed record ContestantResult(
    string Name,
    string Description,
    double WallSeconds,
    AwsCounts Counts,
    IReadOnlyList<EnvironmentResult> Environments,
    IReadOnlyDictionary<string, double> ImposedWaitSeconds,
    IReadOnlyDictionary<string, long> ChangeAndConfirmationCallsPerAccount,
    long? PeakWorkingSetBytes = null,
    double? StartupSeconds = null,
    StepProfile? Profile = null
)
{
    public int Completed => Environments.Count(e => e.Outcome == "completed");
    public Percentiles Downtime =>
        Percentiles.Of(Environments.Where(e => e.DowntimeSeconds is not null).Select(e => e.DowntimeSeconds!.Value));

    /// <summary>Downtime beyond what the world imposed (INSYNC delay, BGP propagation): what the orchestration
    /// added.</summary>
    public Percentiles AddedDowntime(Func<EnvironmentResult, bool>? which = null) =>
        Percentiles.Of(
            Environments
                .Where(e => e.DowntimeSeconds is not null && (which?.Invoke(e) ?? true))
                .Select(e => e.DowntimeSeconds!.Value - ImposedWaitSeconds[e.EnvironmentId])
        );
}

public sealed record Percentiles(int Count, double P50, double P95, double Max)
{
    /// <summary>Nearest-rank percentiles (as the CLI's downtime table computes them).</summary>
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return new Percentiles(0, double.NaN, double.NaN, double.NaN);
        double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return new Percentiles(sorted.Count, At(0.5), At(0.95), sorted[^1]);
    }
}

public static class Contestants
{
    /// <summary>Baseline A: the runbook, one environment after the other, gateways at their default (quota-paced)
    /// settings.</summary>
    public static Task<ContestantResult> RunbookSequentialAsync(BenchmarkOptions o, CancellationToken ct) =>
        RunbookAsync(
            o,
            "baseline-a-runbook",
            "sequential script over environments through the same gateways (default rate limits)",
            parallel: false,
            new Dictionary<string, string?>(),
            ct
        );

    /// <summary>
    /// Baseline B: the same script for every environment at once, with the gateways' rate limiters opened wide so that
    /// only the sandbox's quota holds them back; throttles are retried (many attempts, exponential backoff with
    /// jitter).
    /// </summary>
    public static Task<ContestantResult> NaiveParallelAsync(BenchmarkOptions o, CancellationToken ct)
    {
        var unpaced = new Dictionary<string, string?>
        {
            ["Aws:Resilience:Retry:MaxRetryAttempts"] = "60",
            ["Aws:Resilience:CallBudget"] = "00:30:00",
        };
        foreach (var budget in new[] { "Route53", "Ec2Mutating", "Ec2Describe", "Ec2Byoip" })
        {
            unpaced[$"Aws:Resilience:{budget}:PermitsPerSecond"] = "100000";
            unpaced[$"Aws:Resilience:{budget}:Burst"] = "100000";
        }
        return RunbookAsync(
            o,
            "baseline-b-naive-parallel",
            "the script for every environment at once; no rate awareness, retries on throttles",
            parallel: true,
            unpaced,
            ct
        );
    }

    static async Task<ContestantResult> RunbookAsync(
        BenchmarkOptions o,
        string name,
        string description,
        bool parallel,
        Dictionary<string, string?> settings,
        CancellationToken ct
    )
    {
        await using var world = await BenchmarkWorld.StartAsync(o, ct);
        var configuration = world.Configuration(settings);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddCutoverAws(configuration);
        services.AddCutoverSending(configuration);
        await using var provider = services.BuildServiceProvider();
        var runbook = new Runbook(
            provider.GetRequiredService<IRoute53Gateway>(),
            provider.GetRequiredService<IElasticIpGateway>(),
            provider.GetRequiredService<IByoipGateway>(),
            provider.GetRequiredService<ISendingControl>(),
            world.Sandbox.SmtpPort
        );

        var runId = $"{name}-{DateTime.UtcNow:HHmmss}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.ContestantTimeout);
        var started = Stopwatch.GetTimestamp();
        var results = new List<EnvironmentResult>();
        if (parallel)
            results.AddRange(
                await Task.WhenAll(world.Environments.Select(e => SafeAsync(runbook, e, runId, timeout.Token)))
            );
        else
            foreach (var e in world.Environments)
                results.Add(await SafeAsync(runbook, e, runId, timeout.Token));
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ContestantResult(
            name,
            description,
            wall,
            world.Counts(),
            results,
            world.Environments.ToDictionary(e => e.Id, world.ImposedWaitSeconds),
            world.ChangeAndConfirmationCalls()
        );
    }

    static async Task<EnvironmentResult> SafeAsync(
        Runbook runbook,
        CutoverEngine.Domain.Inventory.CutoverEnvironment e,
        string runId,
        CancellationToken ct
    )
    {
        try
        {
            return await runbook.RunAsync(e, runId, ct);
        }
        catch (Exception ex)
        {
            return new EnvironmentResult(e.Id, e.IpStrategy, "failed", null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// The engine: every environment as one wave through the full workflow, WorkflowCore on a fresh SQLite file,
    /// parallel = N.
    /// Engine start-up (definitions, schema) is timed apart from the wave.
    /// </summary>
    public static async Task<ContestantResult> EngineAsync(BenchmarkOptions o, CancellationToken ct)
    {
        await using var world = await BenchmarkWorld.StartAsync(o, ct);
        var directory = Path.Combine(Path.GetTempPath(), "cutover-bench-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        try
        {
            var n = world.Environments.Count;
            var settings = new Dictionary<string, string?>
            {
                ["Engine:DatabasePath"] = Path.Combine(directory, "cutover.db"),
                ["Engine:MaxConcurrentWorkflows"] = (o.MaxConcurrentWorkflows ?? n).ToString(
                    CultureInfo.InvariantCulture
                ),
            };
            if (o.Synchronous is { } synchronous)
                settings["Engine:Synchronous"] = synchronous;
            var description =
                $"one wave, full workflow, SQLite (synchronous={o.Synchronous ?? "full"}), parallel {n}, MaxConcurrentWorkflows {settings["Engine:MaxConcurrentWorkflows"]}";
            if (o.DefinitionPollSeconds is { } poll)
            {
                settings["Engine:WorkflowsDirectory"] = CopyDefinition(directory, poll);
                description += $", definition polls every {poll.ToString(CultureInfo.InvariantCulture)} s";
            }
            else
                description += ", shipped definition";

            var startup = Stopwatch.GetTimestamp();
            await using var engine = await CutoverEngineHost.StartAsync(
                world.Configuration(settings),
                b => b.SetMinimumLevel(LogLevel.Warning),
                ct: ct
            );
            var startupSeconds = Stopwatch.GetElapsedTime(startup).TotalSeconds;

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.ContestantTimeout);
            var started = Stopwatch.GetTimestamp();
            var latest = new LatestProgress();
            IReadOnlyList<CutoverEngine.Engine.Cutovers.CutoverSummary> summaries;
            try
            {
                summaries = await engine.Launcher.RunAsync(
                    world.Environments,
                    $"bench-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}",
                    "benchmark",
                    n,
                    latest,
                    timeout.Token
                );
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The contestant ran out of time: report where every cutover stood, unfinished ones as such.
                summaries = latest.Value;
                description += $"; STOPPED after {o.ContestantTimeout.TotalMinutes:0.#} min";
            }
            var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
            StepProfile? profile = null;
            try
            {
                profile = StepProfile.Read(settings["Engine:DatabasePath"]!) with
                {
                    WriteTransactions = CutoverEngine
                        .Engine.Persistence.SqliteGroupCommit.For(settings["Engine:DatabasePath"]!)
                        .TransactionsCommitted,
                    Writes = CutoverEngine
                        .Engine.Persistence.SqliteGroupCommit.For(settings["Engine:DatabasePath"]!)
                        .WritesCommitted,
                };
            }
            catch (Exception ex)
                when (ex is Microsoft.Data.Sqlite.SqliteException or FormatException or InvalidOperationException)
            {
                description += $"; journal profile unavailable: {ex.Message}";
            }
            using var self = Process.GetCurrentProcess();
            self.Refresh();

            var byId = world.Environments.ToDictionary(e => e.Id);
            var results = summaries
                .Select(s => new EnvironmentResult(
                    s.EnvironmentId,
                    byId[s.EnvironmentId].IpStrategy,
                    s.Outcome ?? (s.IsFinished ? "failed" : $"unfinished at {s.CurrentStep ?? "start"}"),
                    s.Outcome is null ? null : s.Downtime.DowntimeSeconds,
                    s.RollbackCause,
                    s.Downtime.WindowBudgetSeconds
                ))
                .ToList();
            // A wave stopped early may not have reported some environments yet (the launcher was still starting them).
            var reported = results.Select(r => r.EnvironmentId).ToHashSet();
            results.AddRange(
                world
                    .Environments.Where(e => !reported.Contains(e.Id))
                    .Select(e => new EnvironmentResult(
                        e.Id,
                        e.IpStrategy,
                        "unfinished (not reported by the launcher)",
                        null,
                        null
                    ))
            );
            return new ContestantResult(
                "engine",
                description,
                wall,
                world.Counts(),
                results,
                world.Environments.ToDictionary(e => e.Id, world.ImposedWaitSeconds),
                world.ChangeAndConfirmationCalls(),
                self.PeakWorkingSet64,
                startupSeconds,
                profile
            );
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException) { }
        }
    }

    /// <summary>Copies the shipped definition with every polling step polling at <paramref
    /// name="pollSeconds"/>.</summary>
    static string CopyDefinition(string directory, double pollSeconds)
    {
        var source = Path.Combine(DefinitionLoader.FindWorkflowsDirectory(), "cutover.v1.json");
        var definition = JsonNode
            .Parse(
                File.ReadAllText(source),
                documentOptions: new System.Text.Json.JsonDocumentOptions
                {
                    CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                }
            )!
            .AsObject();
        foreach (var step in definition["steps"]!.AsArray().Concat(definition["rollback"]!.AsArray()))
            if (step!["pollSeconds"] is not null)
                step["pollSeconds"] = pollSeconds;
        var workflows = Path.Combine(directory, "workflows");
        Directory.CreateDirectory(workflows);
        File.WriteAllText(Path.Combine(workflows, "cutover.v1.json"), definition.ToJsonString());
        return workflows;
    }

    /// <summary>Keeps the launcher's last progress report (synchronously: Progress&lt;T&gt; would post it to the thread
    /// pool).</summary>
    sealed class LatestProgress : IProgress<IReadOnlyList<CutoverEngine.Engine.Cutovers.CutoverSummary>>
    {
        volatile IReadOnlyList<CutoverEngine.Engine.Cutovers.CutoverSummary> _value = [];
        public IReadOnlyList<CutoverEngine.Engine.Cutovers.CutoverSummary> Value => _value;

        public void Report(IReadOnlyList<CutoverEngine.Engine.Cutovers.CutoverSummary> value) => _value = value;
    }
}
