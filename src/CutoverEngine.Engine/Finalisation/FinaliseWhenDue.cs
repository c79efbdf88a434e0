using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>
/// The automatic finalise's one step: finalises what is due in the wave, then sleeps until the next soak ends (or
/// <see cref="FinaliseOptions.RecheckInterval"/> while something is blocked) and runs again; ends when nothing is
/// left to finalise. A wave not completed yet (armed just before its completion) is looked at again shortly.
/// </summary>
public sealed class FinaliseWhenDue(WaveFinalisation finalisation, WaveStore waves, TimeProvider clock) : StepBodyAsync
{
    public const string Actor = "finalise";

    /// <summary>How soon a running wave is looked at again: the trigger is armed just before it completes.</summary>
    static readonly TimeSpan RunningRecheck = TimeSpan.FromSeconds(30);

    public override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (FinaliseData)context.Workflow.Data;
        var options = finalisation.Options;
        var wave = await waves.FindAsync(data.WaveId, context.CancellationToken);
        if (wave is null || wave.State == WaveState.Cancelled)
            return ExecutionResult.Next();
        if (data.Once && wave.State != WaveState.Completed)
        {
            data.Results =
            [
                new EnvironmentFinaliseResult(
                    "",
                    FinaliseVerdict.NothingToFinalise,
                    $"wave {data.WaveId} is {WaveNames.Of(wave.State)}: finalise comes after it completed",
                    null
                ),
            ];
            return ExecutionResult.Next();
        }
        if (wave.State != WaveState.Completed)
            return ExecutionResult.Sleep(
                wave.State == WaveState.Running ? RunningRecheck : options.RecheckInterval,
                null
            );
        var results = await finalisation.FinaliseAsync(
            data.WaveId,
            data.Actor,
            data.EarlyReason,
            context.CancellationToken
        );
        data.Results = [.. results];
        if (data.Once)
            return ExecutionResult.Next();
        var now = clock.GetUtcNow();
        var wakes = results
            .Select(r =>
                r.Verdict switch
                {
                    FinaliseVerdict.NotDue => r.DueAt,
                    FinaliseVerdict.Blocked => now + options.RecheckInterval,
                    _ => (DateTimeOffset?)null,
                }
            )
            .Where(t => t is not null)
            .Select(t => t!.Value)
            .ToList();
        if (wakes.Count == 0)
            return ExecutionResult.Next();
        var wait = wakes.Min() - now;
        return ExecutionResult.Sleep(wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1), null);
    }
}
