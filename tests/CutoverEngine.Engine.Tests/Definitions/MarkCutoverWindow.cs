using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Steps;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Tests.Definitions;

/// <summary>
/// A step kind added by a test project, the way docs/architecture.md shows: this file, and one line in a
/// definition. It records, before the pause, when the customer's window opened.
/// </summary>
[CutoverStepKind(
    nameof(MarkCutoverWindow),
    Paths = StepPaths.Forward,
    After = [nameof(Preflight)],
    Before = [nameof(PauseSending)],
    Because = "it marks the window before any downtime"
)]
public sealed class MarkCutoverWindow(StepFrameServices frame) : CutoverStep(frame)
{
    protected override Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct) =>
        Task.FromResult(StepResult.Done($"window of {run.Subject.EnvironmentId} opens at {Clock.GetUtcNow():O}"));
}
