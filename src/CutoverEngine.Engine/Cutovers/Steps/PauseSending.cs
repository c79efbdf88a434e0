using System.Diagnostics;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Pauses sending with a lease, for every environment the cutover moves (a range group's all before its range is
/// advertised), once the safety caps allow it. The engine's own instant starts each environment's measured
/// downtime.
/// </summary>
[CutoverStepKind(nameof(PauseSending), Paths = StepPaths.Forward, RequiredIn = StepPaths.Forward, ForwardOrder = 2)]
public sealed class PauseSending(
    StepFrameServices frame,
    ISendingControl sending,
    EngineRun engineRun,
    Safety.PauseSlots pauseSlots
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        // Claimed already by await-admission where the definition has it (kept, not counted twice); a definition
        // without it (the revert) claims here, and a full cap holds the pause within this step's timeout.
        if (run.Data.PausedAt is null && await pauseSlots.HoldAsync(run, held => Journal(run, held), ct) is { } hold)
            return hold;
        // The environments' controls are independent: paused at once, the group's first pause waits for no other.
        var paused = await Task.WhenAll(run.Data.Moved().Select(member => PauseAsync(run, member, ct)));
        return paused.Length == 1
            ? StepResult.Done(paused[0].Summary, paused[0].Output)
            : StepResult.Done(
                $"sending paused for {string.Join(", ", paused.Select(p => p.Summary))}",
                paused.Select(p => p.Output).ToList()
            );
    }

    async Task<(string Summary, object Output)> PauseAsync(CutoverContext run, CutoverData data, CancellationToken ct)
    {
        // The baseline the pause is measured against: a function already down before it is not the cutover's doing.
        await Frame.OtherFunctions.RecordBaselineAsync(data, ct);
        var status = await sending.PauseAsync(
            data.Subject.ToControlAddress(),
            run.Definition.PauseLease,
            $"cutover {run.InstanceId}",
            run.InstanceId,
            ct
        );
        if (data.PausedAt is null)
        {
            data.PausedAt = Clock.GetUtcNow();
            data.PausedMonotonic = Stopwatch.GetTimestamp();
            data.PausedInRun = engineRun.Id;
        }
        data.SendingPausedAt = status.PausedAt;
        data.LeaseExpiresAt = status.LeaseExpiresAt;
        var summary = $"sending paused (queue {status.QueueDepth}), lease until {status.LeaseExpiresAt:O}";
        return (
            data == run.Data ? summary : $"{data.Subject.EnvironmentId}: {summary}",
            new
            {
                environment = data.Subject.EnvironmentId,
                pausedAt = data.PausedAt,
                sendingPausedAt = status.PausedAt,
                status.QueueDepth,
                leaseExpiresAt = status.LeaseExpiresAt,
            }
        );
    }
}
