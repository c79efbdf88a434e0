using System.Text.Json;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.Configuration;

namespace CutoverEngine.Cli.Hosting;

/// <summary>Runs selected environments of an inventory as one wave on a freshly started engine and renders the
/// result.</summary>
public static class WaveExecution
{
    public sealed record Result(
        string WaveId,
        IReadOnlyList<CutoverSummary> Cutovers,
        string DatabasePath,
        string LogDirectory
    )
    {
        /// <summary>The demo's prepare before the wave; empty when the wave ran without one.</summary>
        public IReadOnlyList<DemoPrepared> Prepared { get; init; } = [];

        public bool AllCompleted => Cutovers.All(c => c.Outcome == CutoverOutcomes.Completed);
    }

    public static async Task<Result> RunAsync(
        IConfiguration configuration,
        IReadOnlyList<CutoverEnvironment> environments,
        string waveId,
        string actor,
        int parallel,
        bool showProgress,
        CancellationToken ct,
        Inventory? prepareFrom = null
    )
    {
        var logger = CliHosting.Logger(configuration);
        try
        {
            await using var engine = await CutoverEngineHost.StartAsync(
                configuration,
                CliHosting.Logging(logger),
                prepareFrom is null ? null : services => services.AddCutoverWaves(configuration, prepareFrom),
                ct: ct
            );
            IReadOnlyList<DemoPrepared> prepared = [];
            if (prepareFrom is not null)
            {
                prepared = await DemoPreparation.RunAsync(engine.Services, environments, waveId, actor, ct);
                if (showProgress)
                    DemoPreparation.Write(Console.Out, prepared);
                var joining = prepared.Where(p => p.InWave).Select(p => p.EnvironmentId).ToHashSet();
                environments = [.. environments.Where(e => joining.Contains(e.Id))];
            }
            var printer = showProgress
                ? new ProgressPrinter(Console.Out, !Console.IsOutputRedirected, TimeProvider.System)
                : null;
            var results = await engine.Launcher.RunAsync(environments, waveId, actor, parallel, printer, ct);
            return new Result(
                waveId,
                results,
                Path.GetFullPath(engine.Options.DatabasePath),
                Path.GetFullPath(CliHosting.LogDirectory(configuration))
            )
            {
                Prepared = prepared,
            };
        }
        finally
        {
            (logger as IDisposable)?.Dispose();
        }
    }

    public static void WriteTable(TextWriter w, Result result, IReadOnlyList<CutoverEnvironment> environments)
    {
        var byId = environments.ToDictionary(e => e.Id);
        w.WriteLine();
        w.WriteLine(
            $"Wave {result.WaveId}: {result.Cutovers.Count(c => c.Outcome == CutoverOutcomes.Completed)} completed, "
                + $"{result.Cutovers.Count(c => c.Outcome == CutoverOutcomes.RolledBack)} rolled back, {result.Cutovers.Count(c => c.Outcome is not (CutoverOutcomes.Completed or CutoverOutcomes.RolledBack))} failed"
        );
        w.WriteLine(
            $"{"ENVIRONMENT", -16} {"TIER", -12} {"STRATEGY", -11} {"OUTCOME", -12} {"DOWNTIME", 9} {"SENDING GAP", 12} {"BUDGET", 7}  NOTE"
        );
        foreach (var c in result.Cutovers)
        {
            var e = byId[c.EnvironmentId];
            var note = c.RollbackCause ?? (c.Downtime.MeasurementsDisagree ? c.Downtime.Disagreement : "");
            w.WriteLine(
                $"{c.EnvironmentId, -16} {e.Tier.ToWireName(), -12} {e.IpStrategy.ToWireName(), -11} {c.Outcome, -12} {S(c.Downtime.DowntimeSeconds), 9} {S(c.Downtime.SendingGapSeconds), 12} {P(c.Downtime.WindowBudgetUsed), 7}  {note}"
            );
        }
        var downtimes = result
            .Cutovers.Where(c => c.Outcome == CutoverOutcomes.Completed)
            .Select(c => c.Downtime.DowntimeSeconds ?? 0)
            .Order()
            .ToList();
        if (downtimes.Count > 0)
            w.WriteLine(
                $"Downtime of completed cutovers: p50 {Percentile(downtimes, 0.5):0.0}s, p95 {Percentile(downtimes, 0.95):0.0}s, max {downtimes[^1]:0.0}s"
            );
        w.WriteLine($"Data: {result.DatabasePath}");
        w.WriteLine($"Logs: {result.LogDirectory}");
    }

    public static object JsonSummary(Result result) =>
        new
        {
            wave = result.WaveId,
            database = result.DatabasePath,
            prepare = result.Prepared.Select(p => new
            {
                id = p.EnvironmentId,
                ready = p.Readiness.Ready,
                reasons = p.Readiness.Reasons.Select(r => new { code = r.Code, message = r.Message }),
                inWave = p.InWave,
                note = p.Note,
            }),
            logs = result.LogDirectory,
            environments = result.Cutovers.Select(c => new
            {
                id = c.EnvironmentId,
                outcome = c.Outcome ?? CutoverOutcomes.Failed,
                downtimeSeconds = c.Downtime.DowntimeSeconds,
                sendingGapSeconds = c.Downtime.SendingGapSeconds,
                monotonicDowntimeSeconds = c.Downtime.MonotonicSeconds,
                windowBudgetUsed = c.Downtime.WindowBudgetUsed,
                measurementsDisagree = c.Downtime.MeasurementsDisagree,
                pausedAt = c.Downtime.PausedAt,
                resumedAt = c.Downtime.ResumedAt,
                rollbackCause = c.RollbackCause,
                rollbackProblems = c.RollbackProblems,
                workflowInstance = c.InstanceId,
                checks = c.LastChecks.Select(k => new
                {
                    check = k.Check,
                    subject = k.Subject,
                    passed = k.Passed,
                    expected = k.Expected,
                    observed = k.Observed,
                }),
            }),
        };

    /// <summary>Errors of configuration or definitions that stop the engine before any cutover starts.</summary>
    public static bool IsStartupError(Exception e) =>
        e
            is CutoverEngine.Engine.Definitions.DefinitionException
                or CutoverEngine.Aws.Configuration.AwsConfigurationException
                or Microsoft.Extensions.Options.OptionsValidationException
                or FileNotFoundException;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    static string S(double? s) => s is { } v ? $"{v:0.0}s" : "-";

    static string P(double? f) => f is { } v ? $"{v:P0}" : "-";
}
