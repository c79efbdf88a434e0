using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Runs the definition's checks against the new infrastructure, for every environment the cutover moves, and
/// repeats them at the poll interval until all pass or the step's timeout is spent (then the cutover rolls back).
/// Every round's results are kept with their environment.
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
        var rounds = await Task.WhenAll(run.Data.Moved().Select(member => VerifyAsync(run, member, ct)));
        var failing = rounds.SelectMany(r => r.Failing.Select(f => (r.Member, Check: f))).ToList();
        var lead = rounds[0];
        if (failing.Count == 0)
            return StepResult.Done(
                rounds.Length == 1
                    ? $"{lead.Count} checks passed (round {lead.Round})"
                    : $"{rounds.Sum(r => r.Count)} checks passed for {rounds.Length} environments (round {lead.Round})"
            );
        var why = string.Join(
            "; ",
            failing.Select(f =>
                (f.Member == run.Data ? "" : $"{f.Member.Subject.EnvironmentId}: ")
                + $"{f.Check.Check} {f.Check.Subject}: expected {f.Check.Expected}, observed {f.Check.Observed}"
            )
        );
        return StepResult.WaitFor(run.PollInterval, $"verification failing: {why}");
    }

    async Task<(CutoverData Member, int Round, int Count, List<CheckRecord> Failing)> VerifyAsync(
        CutoverContext run,
        CutoverData member,
        CancellationToken ct
    )
    {
        var checks = run
            .Step.Checks.Where(c => c != "test-message" || member.Subject.TestMessageTo is not null)
            .ToList();
        var results = await verifier.VerifyAsync(member, checks, ct);
        var round = member.Checks.Count == 0 ? 1 : member.Checks.Max(c => c.Round) + 1;
        foreach (var r in results)
            r.Round = round;
        member.Checks.AddRange(results);
        await Journal(
            run,
            member,
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
        return (member, round, results.Count, [.. results.Where(r => !r.Passed)]);
    }
}
