using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Steps;

namespace CutoverEngine.Engine.Telemetry;

/// <summary>
/// The engine's metrics and spans: Meter and ActivitySource <see cref="Name"/> (the AWS calls' own live in
/// <c>AwsTelemetry</c> under the same name). Instrument names are OpenTelemetry's; the Prometheus exporter turns
/// <c>cutover.step.duration</c> in seconds into <c>cutover_step_duration_seconds</c> and counters into
/// <c>..._total</c> (README, Metrics). Recorded by the step frame (<see cref="CutoverStep"/>) and the webhook lanes.
/// </summary>
public static class CutoverTelemetry
{
    public const string Name = "CutoverEngine";

    public static readonly ActivitySource Source = new(Name);

    static readonly Meter Meter = new(Name);

    // The environments whose sending is paused now, as the last step run of their cutover saw them; an engine that
    // restarts relearns them at each cutover's next step.
    static readonly ConcurrentDictionary<string, byte> Paused = new(StringComparer.Ordinal);

    // Each cutover's own span, open from its first step run in this process to its closing step.
    static readonly ConcurrentDictionary<string, Activity> Cutovers = new(StringComparer.Ordinal);

    static readonly Counter<long> Closed = Meter.CreateCounter<long>(
        "cutover.cutovers",
        "{cutover}",
        "Cutovers closed, by outcome (completed, rolled-back, failed) and tier"
    );

    static readonly Histogram<double> DowntimeSeconds = Meter.CreateHistogram<double>(
        "cutover.downtime",
        "s",
        "Downtime of each closed cutover (paused to resumed, as the engine recorded it), by outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 15, 30, 60, 120, 300, 600, 1800, 3600] }
    );

    static readonly Histogram<double> StepSeconds = Meter.CreateHistogram<double>(
        "cutover.step.duration",
        "s",
        "Time from a step's start to its end, durable waits included, by step, kind and outcome",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        }
    );

    static readonly Counter<long> WebhookFailures = Meter.CreateCounter<long>(
        "cutover.webhook.failures",
        "{attempt}",
        "Webhook delivery attempts that failed, by receiver and outcome (retrying, gave-up)"
    );

    static readonly Counter<long> AuthenticationDenials = Meter.CreateCounter<long>(
        "cutover.authentication.denied",
        "{attempt}",
        "Logins and API-key attempts refused, by surface (api, login) and reason (unknown-key, limited)"
    );

    static readonly ObservableGauge<int> PausedNow = Meter.CreateObservableGauge(
        "cutover.environments.paused",
        () => Paused.Count,
        "{environment}",
        "Environments whose sending is paused now by a cutover of this engine"
    );

    /// <summary>
    /// The span of one step run, a child of its cutover's span. Tagged with the cutover's wave, environment and
    /// workflow instance so a trace search by environment finds every step.
    /// </summary>
    public static Activity? StartStep(CutoverContext run)
    {
        var parent = CutoverSpan(run);
        var activity = Source.StartActivity(
            $"step {run.Step.Name}",
            ActivityKind.Internal,
            parent?.Context ?? default(ActivityContext)
        );
        if (activity is null)
            return null;
        Tag(activity, run);
        activity.SetTag("cutover.step", run.Step.Name);
        activity.SetTag("cutover.step.kind", run.Step.Kind);
        activity.SetTag("cutover.step.rollback", run.Step.IsRollback);
        return activity;
    }

    static Activity? CutoverSpan(CutoverContext run)
    {
        if (!Source.HasListeners())
            return null;
        return Cutovers.GetOrAdd(
            run.InstanceId,
            _ =>
            {
                // Started without becoming the current activity: it outlives this step run.
                var previous = Activity.Current;
                var root = Source.StartActivity("cutover", ActivityKind.Internal, default(ActivityContext))!;
                Activity.Current = previous;
                Tag(root, run);
                return root;
            }
        );
    }

    static void Tag(Activity activity, CutoverContext run)
    {
        activity.SetTag("cutover.wave", run.Data.WaveId);
        activity.SetTag("cutover.environment", run.Subject.EnvironmentId);
        activity.SetTag("cutover.instance", run.InstanceId);
    }

    /// <summary>A step run ended (done or failed; a durable wait is not an end).</summary>
    public static void StepEnded(CutoverContext run, Activity? span, TimeSpan sinceStart, bool completed)
    {
        var outcome = completed ? CutoverOutcomes.Completed : CutoverOutcomes.Failed;
        StepSeconds.Record(
            sinceStart.TotalSeconds,
            new("step", run.Step.Name),
            new("kind", run.Step.Kind),
            new("outcome", outcome)
        );
        span?.SetTag("cutover.step.outcome", outcome);
        if (!completed)
            span?.SetStatus(ActivityStatusCode.Error);
    }

    /// <summary>What a step run left: whether each environment it moves is paused, and its outcome when this run
    /// closed the cutover.</summary>
    public static void StepLeft(CutoverContext run, string? outcomeBefore)
    {
        foreach (var member in run.Data.Moved())
        {
            if (member.PausedAt is not null && member.ResumedAt is null && member.Outcome is null)
                Paused.TryAdd(member.Subject.EnvironmentId, 0);
            else
                Paused.TryRemove(member.Subject.EnvironmentId, out _);
        }
        if (outcomeBefore is not null || run.Data.Outcome is not { } outcome)
            return;
        foreach (var member in run.Data.Moved())
        {
            var tags = new TagList { { "outcome", member.Outcome ?? outcome }, { "tier", member.Subject.Tier } };
            Closed.Add(1, tags);
            if (Downtime.Of(member, run.WindowBudget).DowntimeSeconds is { } seconds)
                DowntimeSeconds.Record(
                    seconds,
                    new KeyValuePair<string, object?>("outcome", member.Outcome ?? outcome)
                );
        }
        if (Cutovers.TryRemove(run.InstanceId, out var root))
        {
            root.SetTag("cutover.outcome", outcome);
            if (outcome != CutoverOutcomes.Completed)
                root.SetStatus(ActivityStatusCode.Error, run.Data.RollbackCause);
            root.Stop();
        }
    }

    /// <summary>A webhook attempt that was not delivered.</summary>
    public static void WebhookFailed(string receiver, string outcome) =>
        WebhookFailures.Add(1, new("receiver", receiver), new("outcome", outcome));

    /// <summary>A login or API-key attempt refused: <paramref name="surface"/> api or login, <paramref
    /// name="reason"/> unknown-key or limited.</summary>
    public static void AuthenticationDenied(string surface, string reason) =>
        AuthenticationDenials.Add(1, new("surface", surface), new("reason", reason));
}
