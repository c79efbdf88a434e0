using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Definitions;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// Starts cutovers as WorkflowCore workflows and follows them to the end, at most N at once. An environment
/// never has two cutovers in flight: starting one that already runs (e.g. after the engine was killed and
/// restarted) adopts the running one instead.
/// </summary>
public sealed class CutoverLauncher(IWorkflowHost host, IPersistenceProvider store, DefinitionCatalog definitions)
{
    public const string DefinitionId = "cutover";

    /// <summary>How often running cutovers are read back for progress. Default 250 ms.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public async Task<string> StartAsync(
        CutoverEnvironment environment,
        string waveId,
        string actor,
        CancellationToken ct = default
    ) => await StartAsync([environment], waveId, actor, inFlight: null, ct);

    /// <summary>
    /// Starts one cutover for environments that move as one: a range group (<see cref="WaveSequence.Moves"/>), its
    /// lead first, or a single environment. The group's cutover runs under the lead's name, with the tightest
    /// window budget of its environments.
    /// </summary>
    public async Task<string> StartAsync(
        IReadOnlyList<CutoverEnvironment> move,
        string waveId,
        string actor,
        CancellationToken ct = default
    ) => await StartAsync(move, waveId, actor, inFlight: null, ct);

    /// <param name="inFlight">Environment id to running instance, read once for a whole wave; null asks the
    /// store.</param>
    async Task<string> StartAsync(
        IReadOnlyList<CutoverEnvironment> move,
        string waveId,
        string actor,
        IReadOnlyDictionary<string, WorkflowInstance>? inFlight,
        CancellationToken ct
    )
    {
        ArgumentOutOfRangeException.ThrowIfZero(move.Count);
        foreach (var environment in move)
        {
            var running = inFlight is not null
                ? inFlight.GetValueOrDefault(environment.Id)
                : await FindInFlightAsync(environment.Id, ct);
            // A cutover in flight is adopted; a revert in flight holds the environment until it has finished.
            if (running is not null)
                return running.WorkflowDefinitionId == Reverts.RevertLauncher.DefinitionId
                    ? throw new InvalidOperationException(
                        $"{environment.Id}: its revert {running.Id} is in flight; a cutover starts once it has finished"
                    )
                    : running.Id;
        }
        var lead = move[0];
        var definition = definitions.Latest(DefinitionId);
        CutoverData DataOf(CutoverEnvironment environment) =>
            new()
            {
                WaveId = waveId,
                Subject = CutoverSubject.From(environment),
                DefinitionId = definition.Id,
                DefinitionVersion = definition.Version,
                DefinitionHash = definition.ContentHash,
                StartedBy = actor,
            };
        var data = DataOf(lead);
        data.Companions = [.. move.Skip(1).Select(DataOf)];
        if (move.Count > 1)
            // One pause for the group: it must end within the shortest budget any of its customers was promised.
            data.Subject.WindowBudgetMinutes = move.Min(e => WindowBudget.For(e, definition.WindowBudget)).TotalMinutes;
        var id = await host.StartWorkflow(definition.Id, definition.Version, data, $"{waveId}/{lead.Id}");
        // The workflow journals its own cutover-started (one per environment) before its first step (CutoverStep).
        return id;
    }

    // WorkflowCore marks the filtered listing obsolete in favour of its search index; the SQLite store implements
    // it with real filters, and it is the one way to find the cutovers a killed engine left behind.
#pragma warning disable CS0612
    /// <summary>The definitions whose workflows move an environment: a cutover and a revert. An environment never
    /// has two of them in flight.</summary>
    static readonly string[] MovingDefinitions = [DefinitionId, Reverts.RevertLauncher.DefinitionId];

    /// <summary>A cutover (or revert) of this environment that has not finished, if any.</summary>
    public async Task<WorkflowInstance?> FindInFlightAsync(string environmentId, CancellationToken ct = default) =>
        (await InFlightAsync(ct)).FirstOrDefault(i =>
            i.Data is CutoverData d && d.Moved().Any(m => m.Subject.EnvironmentId == environmentId)
        );

    /// <summary>Every cutover or revert that has not finished, e.g. the ones a killed engine left behind.</summary>
    public async Task<IReadOnlyList<WorkflowInstance>> InFlightAsync(CancellationToken ct = default)
    {
        var all = new List<WorkflowInstance>();
        foreach (var status in new[] { WorkflowStatus.Runnable, WorkflowStatus.Suspended })
        foreach (var definition in MovingDefinitions)
            all.AddRange(await store.GetWorkflowInstances(status, definition, null, null, 0, 100_000));
        ct.ThrowIfCancellationRequested();
        return all;
    }
#pragma warning restore CS0612

    /// <summary>The cutover's summary under its (lead) environment.</summary>
    public async Task<CutoverSummary> ReadAsync(string instanceId, CancellationToken ct = default) =>
        (await ReadAllAsync(instanceId, ct))[0];

    /// <summary>One summary per environment the cutover moves, the lead first: each with its own downtime and
    /// checks, all with the cutover's status, outcome and rollback.</summary>
    public async Task<IReadOnlyList<CutoverSummary>> ReadAllAsync(string instanceId, CancellationToken ct = default)
    {
        var instance = await store.GetWorkflowInstance(instanceId, ct);
        var data = (CutoverData)instance.Data;
        var budget = WindowBudget.For(
            data.Subject.WindowBudgetMinutes,
            definitions.Get(data.DefinitionId, data.DefinitionVersion).WindowBudget
        );
        return
        [
            .. data.Moved()
                .Select(member =>
                {
                    var lastRound = member.Checks.Count == 0 ? 0 : member.Checks.Max(c => c.Round);
                    return new CutoverSummary(
                        member.Subject.EnvironmentId,
                        instance.Id,
                        instance.Status.ToString(),
                        data.Outcome,
                        data.CurrentStep,
                        Steps.Downtime.Of(member, budget),
                        data.RollbackCause,
                        data.RollbackProblems,
                        [.. member.Checks.Where(c => c.Round == lastRound)]
                    );
                }),
        ];
    }

    /// <summary>
    /// Runs the environments' cutovers, at most <paramref name="parallel"/> at once, and returns when all have
    /// finished. Progress is reported at <see cref="ProgressInterval"/>.
    /// </summary>
    public async Task<IReadOnlyList<CutoverSummary>> RunAsync(
        IReadOnlyList<CutoverEnvironment> environments,
        string waveId,
        string actor,
        int parallel,
        IProgress<IReadOnlyList<CutoverSummary>>? progress = null,
        CancellationToken ct = default
    )
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        // A range group is one cutover: one lane of the parallel cap, like one environment.
        var waiting = new Queue<IReadOnlyList<CutoverEnvironment>>(
            WaveSequence.Moves(environments, WaveOrder.Explicit)
        );
        var running = new Dictionary<string, string>(); // lead environment -> instance
        var finished = new Dictionary<string, CutoverSummary>();
        var completed = new SemaphoreSlim(0);
        void OnEvent(WorkflowCore.Models.LifeCycleEvents.LifeCycleEvent e)
        {
            if (
                e
                is WorkflowCore.Models.LifeCycleEvents.WorkflowCompleted
                    or WorkflowCore.Models.LifeCycleEvents.WorkflowTerminated
            )
                completed.Release();
        }
        host.OnLifeCycleEvent += OnEvent;
        // Read once per wave (not per start, which grows with the wave): cutovers a killed engine left in flight.
        var inFlight = new Dictionary<string, WorkflowInstance>(StringComparer.Ordinal);
        foreach (var instance in await InFlightAsync(ct))
            if (instance.Data is CutoverData d)
                foreach (var member in d.Moved())
                    inFlight.TryAdd(member.Subject.EnvironmentId, instance);
        try
        {
            while (waiting.Count > 0 || running.Count > 0)
            {
                while (running.Count < parallel && waiting.TryDequeue(out var next))
                    running[next[0].Id] = await StartAsync(next, waveId, actor, inFlight, ct);

                var snapshot = new List<CutoverSummary>(finished.Values);
                foreach (var (env, id) in running.ToList())
                {
                    var summaries = await ReadAllAsync(id, ct);
                    if (summaries[0].IsFinished)
                    {
                        foreach (var summary in summaries)
                            finished[summary.EnvironmentId] = summary;
                        running.Remove(env);
                    }
                    snapshot.AddRange(summaries);
                }
                progress?.Report(snapshot);
                if (running.Count == 0 && waiting.Count == 0)
                    break;
                if (running.Count < parallel && waiting.Count > 0)
                    continue;
                // Woken by a completion event, or by the interval for progress.
                await completed.WaitAsync(ProgressInterval, ct);
            }
        }
        finally
        {
            host.OnLifeCycleEvent -= OnEvent;
        }
        return [.. environments.Select(e => finished[e.Id])];
    }
}
