using System.Diagnostics;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Resumes sending of every environment the cutover moves: through the new MTAs on the forward path, the
/// old ones on the rollback path. Ends each environment's measured downtime and releases the pause slots.</summary>
[CutoverStepKind(nameof(ResumeSending), RequiredIn = StepPaths.Both, ForwardOrder = 7)]
public sealed class ResumeSending(
    StepFrameServices frame,
    ISendingControl sending,
    EngineRun engineRun,
    LeaseLapseJournal lapses,
    Safety.PauseSlots pauseSlots
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var resumed = await Task.WhenAll(run.Data.Moved().Select(member => ResumeAsync(run, member, ct)));
        // Sending runs again: the cutover's pause slots go to the cutovers held behind it.
        await pauseSlots.ReleaseAsync(run, ct);
        return resumed.Length == 1
            ? StepResult.Done(resumed[0].Summary, resumed[0].Output)
            : StepResult.Done(
                string.Join("; ", resumed.Select(r => r.Summary)),
                resumed.Select(r => r.Output).ToList()
            );
    }

    async Task<(string Summary, object Output)> ResumeAsync(CutoverContext run, CutoverData data, CancellationToken ct)
    {
        var status = await sending.ResumeAsync(
            data.Subject.ToControlAddress(),
            run.Data.IsRollingBack ? $"rollback of {run.InstanceId}" : $"cutover {run.InstanceId} verified",
            ct
        );
        await lapses.NoteAsync(run, data, status, nameof(ResumeSending), ct);
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
        var summary = data.PausedAt is null
            ? "sending was never paused"
            : $"sending resumed (queue {status.QueueDepth})";
        return (
            data == run.Data ? summary : $"{data.Subject.EnvironmentId}: {summary}",
            new
            {
                environment = data.Subject.EnvironmentId,
                resumedAt = data.ResumedAt,
                sendingResumedAt = data.SendingResumedAt,
                resumedBy = last?.ResumedBy,
                status.QueueDepth,
            }
        );
    }
}
