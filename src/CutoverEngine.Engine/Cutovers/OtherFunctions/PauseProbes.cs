using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Engine.Cutovers.OtherFunctions;

/// <summary>
/// The probes of one paused environment's other functions: a round every interval, beside the cutover's steps (never
/// in their way), until sending resumes. A function that fails although it answered before the pause is journaled
/// at once as <see cref="OtherFunctionAffectedPayload"/>; the whole series when the probes stop.
/// </summary>
internal sealed class PauseProbes : IDisposable
{
    readonly CutoverContext run;
    readonly CutoverData member;
    readonly OtherFunctionProbe probe;
    readonly ICutoverJournal journal;
    readonly TimeProvider clock;
    readonly TimeSpan interval;
    readonly ILogger log;
    readonly CancellationTokenSource stopping = new();
    readonly DateTimeOffset from;

    // Touched by the probing loop only until it has ended; read by StopAsync after that.
    readonly Dictionary<string, List<OtherFunctionObservation>> series = new(StringComparer.Ordinal);
    readonly HashSet<string> reported = new(StringComparer.Ordinal);
    Task loop = Task.CompletedTask;

    PauseProbes(
        CutoverContext run,
        CutoverData member,
        OtherFunctionProbe probe,
        ICutoverJournal journal,
        TimeProvider clock,
        TimeSpan interval,
        ILogger log
    )
    {
        this.run = run;
        this.member = member;
        this.probe = probe;
        this.journal = journal;
        this.clock = clock;
        this.interval = interval;
        this.log = log;
        from = clock.GetUtcNow();
        foreach (var f in member.Subject.OtherFunctions)
            series[f.Name] = [];
    }

    public static PauseProbes Start(
        CutoverContext run,
        CutoverData member,
        OtherFunctionProbe probe,
        ICutoverJournal journal,
        TimeProvider clock,
        TimeSpan interval,
        ILogger log
    )
    {
        var probes = new PauseProbes(run, member, probe, journal, clock, interval, log);
        probes.loop = Task.Run(probes.RunAsync, CancellationToken.None);
        return probes;
    }

    async Task RunAsync()
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
            {
                await RoundAsync(stopping.Token);
            } while (await timer.WaitForNextTickAsync(stopping.Token));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }

    async Task RoundAsync(CancellationToken ct)
    {
        var functions = member.Subject.OtherFunctions;
        var observed = await Task.WhenAll(functions.Select(f => probe.ProbeAsync(f, ct)));
        for (var i = 0; i < functions.Count; i++)
        {
            var function = functions[i];
            var observation = observed[i];
            series[function.Name].Add(observation);
            if (observation.Available || !AnsweredBefore(function) || !reported.Add(function.Name))
                continue;
            try
            {
                // One incident per cutover and function: after a restart mid-pause this series starts afresh and
                // would report a function the engine's previous run already journaled.
                if (await JournaledBeforeAsync(function.Name, ct))
                    continue;
                await journal.AppendAsync(
                    run.Event(
                        new OtherFunctionAffectedPayload(
                            function.Name,
                            OtherFunctionTargets.Of(function),
                            observation.Error ?? "failed",
                            observation.At,
                            member.PausedAt
                        )
                    ) with
                    {
                        Environment = member.Subject.EnvironmentId,
                        Step = null,
                    },
                    CancellationToken.None
                );
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The series still records the failure; it is journaled when the probes stop.
                reported.Remove(function.Name);
                log.LogWarning(e, "could not journal other-function-affected for {Function}", function.Name);
            }
        }
    }

    async Task<bool> JournaledBeforeAsync(string function, CancellationToken ct)
    {
        var earlier = await journal.ReadAsync(new JournalQuery { WorkflowInstance = run.InstanceId }, ct);
        return earlier.Any(e =>
            e.Event == OtherFunctionAffectedPayload.Event
            && e.Environment == member.Subject.EnvironmentId
            && JournalPayload.Parse(e.Payload).String("function") == function
        );
    }

    /// <summary>The baseline is persisted with the cutover (<see cref="CutoverData.OtherFunctionBaseline"/>, probed
    /// before the pause), so a series started after a restart judges against the same one; a cutover without a
    /// baseline counts no function as affected.</summary>
    bool AnsweredBefore(SubjectOtherFunction function) =>
        member.OtherFunctionBaseline?.GetValueOrDefault(function.Name) == true;

    /// <summary>Stops the probes and journals the series, filed under the step that ended the pause.</summary>
    public async Task StopAsync(CutoverContext ending, CancellationToken ct)
    {
        await AbandonAsync();
        var functions = member
            .Subject.OtherFunctions.Select(f => OtherFunctionSeries.Of(f, AnsweredBefore(f), series[f.Name]))
            .ToList();
        await journal.AppendAsync(
            ending.Event(
                new OtherFunctionsProbedPayload(from, clock.GetUtcNow(), interval.TotalSeconds, functions)
            ) with
            {
                Environment = member.Subject.EnvironmentId,
            },
            ct
        );
    }

    /// <summary>Stops the probes without a record: the engine is shutting down and the cutover carries on after the
    /// restart with a new series.</summary>
    public async Task AbandonAsync()
    {
        await stopping.CancelAsync();
        await loop;
        Dispose();
    }

    public void Dispose() => stopping.Dispose();
}
