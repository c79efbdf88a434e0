using System.Diagnostics;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Pauses sending with a lease. The engine's own instant starts the measured downtime.</summary>
[CutoverStepKind(nameof(PauseSending), Paths = StepPaths.Forward, RequiredIn = StepPaths.Forward, ForwardOrder = 2)]
public sealed class PauseSending(StepFrameServices frame, ISendingControl sending, EngineRun engineRun)
    : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
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
        return StepResult.Done(
            $"sending paused (queue {status.QueueDepth}), lease until {status.LeaseExpiresAt:O}",
            new
            {
                pausedAt = data.PausedAt,
                sendingPausedAt = status.PausedAt,
                status.QueueDepth,
                leaseExpiresAt = status.LeaseExpiresAt,
            }
        );
    }
}
