using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Steps;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>A step kind this test project adds to the engine: one file, and one line in a definition.</summary>
[CutoverStepKind(
    nameof(NoteCutoverWindow),
    Paths = StepPaths.Forward,
    After = [nameof(Preflight)],
    Before = [nameof(PauseSending)]
)]
public sealed class NoteCutoverWindow(StepFrameServices frame) : CutoverStep(frame)
{
    public const string Said = "the window opens now";

    protected override Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct) =>
        Task.FromResult(StepResult.Done($"{run.Subject.EnvironmentId}: {Said}"));
}
