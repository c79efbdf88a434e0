using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Runs the definition's checks against the new infrastructure and repeats them at the poll interval until all
/// pass or the step's timeout is spent (then the cutover rolls back). Every round's results are kept.
/// </summary>
[CutoverStepKind(
    nameof(Verify),
    Paths = StepPaths.Forward,
    RequiredIn = StepPaths.Forward,
    ForwardOrder = 6,
    TakesChecks = true
)]
public sealed class Verify(StepFrameServices frame, ICutoverVerifier verifier) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var checks = run.Step.Checks.Where(c => c != "test-message" || run.Subject.TestMessageTo is not null).ToList();
        var results = await verifier.VerifyAsync(run.Subject, checks, ct);
        var round = run.Data.Checks.Count == 0 ? 1 : run.Data.Checks.Max(c => c.Round) + 1;
        foreach (var r in results)
            r.Round = round;
        run.Data.Checks.AddRange(results);
        var failing = results.Where(r => !r.Passed).ToList();
        await Journal(
            run,
            new ChecksPayload(
                round,
                [
                    .. results.Select(r => new CheckPayload(
                        r.Check,
                        r.Subject,
                        r.Passed,
                        r.Expected,
                        r.Observed,
                        r.Detail
                    )),
                ]
            )
        );
        if (failing.Count == 0)
            return StepResult.Done($"{results.Count} checks passed (round {round})");
        var why = string.Join(
            "; ",
            failing.Select(f => $"{f.Check} {f.Subject}: expected {f.Expected}, observed {f.Observed}")
        );
        return StepResult.WaitFor(run.PollInterval, $"verification failing: {why}");
    }
}
