using System.Diagnostics;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Resumes sending: through the new MTAs on the forward path, the old ones on the rollback path. Ends the
/// measured downtime.</summary>
[CutoverStepKind(nameof(ResumeSending), RequiredIn = StepPaths.Both, ForwardOrder = 7)]
public sealed class ResumeSending(
    StepFrameServices frame,
    ISendingControl sending,
    EngineRun engineRun,
    LeaseLapseJournal lapses
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        var status = await sending.ResumeAsync(
            data.Subject.ToControlAddress(),
            data.IsRollingBack ? $"rollback of {run.InstanceId}" : $"cutover {run.InstanceId} verified",
            ct
        );
        await lapses.NoteAsync(run, status, nameof(ResumeSending), ct);
        if (data.ResumedAt is null && data.PausedAt is not null)
        {
            data.ResumedAt = Clock.GetUtcNow();
            if (data.PausedInRun == engineRun.Id)
                data.MonotonicDowntimeSeconds = Stopwatch.GetElapsedTime(data.PausedMonotonic).TotalSeconds;
        }
        var last = status.Pauses.LastOrDefault(p =>
            data.SendingPausedAt is null || p.PausedAt >= data.SendingPausedAt.Value.AddSeconds(-1)
        );
        data.SendingResumedAt = last?.ResumedAt ?? data.SendingResumedAt;
        return StepResult.Done(
            data.PausedAt is null ? "sending was never paused" : $"sending resumed (queue {status.QueueDepth})",
            new
            {
                resumedAt = data.ResumedAt,
                sendingResumedAt = data.SendingResumedAt,
                resumedBy = last?.ResumedBy,
                status.QueueDepth,
            }
        );
    }
}
