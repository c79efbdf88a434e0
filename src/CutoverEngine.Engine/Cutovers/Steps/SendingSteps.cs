using System.Diagnostics;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Pauses sending with a lease. The engine's own instant starts the measured downtime.</summary>
public sealed class PauseSending(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        var status = await Services.Sending.PauseAsync(new Uri(data.Subject.SendingControl), run.Definition.PauseLease,
            $"cutover {run.InstanceId}", run.InstanceId, ct);
        if (data.PausedAt is null)
        {
            data.PausedAt = Clock.GetUtcNow();
            data.PausedMonotonic = Stopwatch.GetTimestamp();
            data.PausedInRun = Services.EngineRun.Id;
        }
        data.SendingPausedAt = status.PausedAt;
        data.LeaseExpiresAt = status.LeaseExpiresAt;
        return StepResult.Done($"sending paused (queue {status.QueueDepth}), lease until {status.LeaseExpiresAt:O}",
            new { pausedAt = data.PausedAt, sendingPausedAt = status.PausedAt, status.QueueDepth, leaseExpiresAt = status.LeaseExpiresAt });
    }
}

/// <summary>Resumes sending: through the new MTAs on the forward path, the old ones on the rollback path. Ends the measured downtime.</summary>
public sealed class ResumeSending(CutoverStepServices services) : CutoverStep(services)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        var status = await Services.Sending.ResumeAsync(new Uri(data.Subject.SendingControl),
            data.IsRollingBack ? $"rollback of {run.InstanceId}" : $"cutover {run.InstanceId} verified", ct);
        if (data.ResumedAt is null && data.PausedAt is not null)
        {
            data.ResumedAt = Clock.GetUtcNow();
            if (data.PausedInRun == Services.EngineRun.Id)
                data.MonotonicDowntimeSeconds = Stopwatch.GetElapsedTime(data.PausedMonotonic).TotalSeconds;
        }
        var last = status.Pauses.LastOrDefault(p => data.SendingPausedAt is null || p.PausedAt >= data.SendingPausedAt.Value.AddSeconds(-1));
        data.SendingResumedAt = last?.ResumedAt ?? data.SendingResumedAt;
        return StepResult.Done(data.PausedAt is null ? "sending was never paused" : $"sending resumed (queue {status.QueueDepth})",
            new { resumedAt = data.ResumedAt, sendingResumedAt = data.SendingResumedAt, resumedBy = last?.ResumedBy, status.QueueDepth });
    }
}
