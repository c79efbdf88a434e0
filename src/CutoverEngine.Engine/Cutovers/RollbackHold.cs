using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Options;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// The one home of what happens when a rollback itself fails (README, "When a rollback fails"). A restore step that
/// gives up (RestoreDns, RestoreIps, or the rollback's wait for INSYNC) does not let the rollback carry on to resume
/// sending: resuming on a half-restored world sends mail from addresses nobody announces or owns any more, or from
/// MTAs the records no longer lead to, and that mail is refused or lost, while a held queue only waits. So sending
/// stays paused (the lease renewed at every look), the state left behind is read back from AWS and journaled as
/// rollback-stuck (webhook cutover-rollback-stuck pages people), and the step waits durably for an operator's
/// retry (rollback-retry-requested, <see cref="RollbackRetry"/>), which runs the step again and, once it restores,
/// the rest of the rollback. When the window budget ends while held, the state is read back again: if every record
/// and a BYOIP range read back as before the cutover (only the Elastic IPs' associations in AWS, which the old MTAs
/// do not send from, or the name servers' INSYNC are unrestored), sending resumes on the data centre and the
/// incident names what was left; otherwise sending stays paused and people are paged again.
/// </summary>
public sealed class RollbackHold(
    ICutoverJournal journal,
    PauseLeaseKeeper leases,
    RollbackStateReader state,
    IOptions<CutoverOptions> options
)
{
    static readonly string[] RestoringKinds =
    [
        nameof(Steps.RestoreDns),
        nameof(Steps.RestoreIps),
        nameof(Steps.AwaitDnsInsync),
    ];

    /// <summary>Whether a failure of <paramref name="step"/> holds the pause rather than carrying on.</summary>
    public static bool HoldsPause(StepDefinition step) => step.IsRollback && RestoringKinds.Contains(step.Kind);

    TimeSpan PollInterval => options.Value.RollbackFailure.RetryPollInterval;

    /// <summary>
    /// The restore step failed: holds the pause and waits for an operator. Null when there is no pause to hold
    /// (sending was never paused, or resumed already), and the rollback carries on as before.
    /// </summary>
    /// <param name="now">The frame's clock (the one that measures the pause and its budget).</param>
    public async Task<ExecutionResult?> EnterAsync(
        CutoverContext run,
        string cause,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var data = run.Data;
        if (data.PausedAt is null || data.ResumedAt is not null)
            return null;
        data.Stuck = new StuckRollback
        {
            Step = run.Step.Name,
            Cause = cause,
            Since = now,
        };
        data.Outcome = CutoverOutcomes.RollbackStuck;
        var left = await state.ReadAsync(run, ct);
        data.Stuck.Sequence = await JournalAsync(run, left, holding: true, budgetSpent: false, ct);
        return ExecutionResult.Sleep(PollInterval, null);
    }

    /// <summary>
    /// A look of the held step: renews the lease, then runs the step again when an operator asked (null: the frame
    /// runs it afresh), carries on when the budget ended on a state safe to resume on, or sleeps to the next look.
    /// </summary>
    public async Task<ExecutionResult?> KeepAsync(CutoverContext run, DateTimeOffset now, CancellationToken ct)
    {
        var data = run.Data;
        var stuck = data.Stuck!;
        await leases.RenewIfDueAsync(run, ct);
        var since = await journal.ReadAsync(
            new JournalQuery { WorkflowInstance = run.InstanceId, AfterSequence = stuck.Sequence },
            ct
        );
        if (since.Any(e => e.Event == RollbackRetryRequestedPayload.Event))
        {
            data.Stuck = null;
            data.Outcome = null;
            data.RollbackRetries++;
            return null;
        }
        if (!stuck.BudgetSpentJournaled && data.PausedAt is { } pausedAt && now - pausedAt > run.WindowBudget)
        {
            var left = await state.ReadAsync(run, ct);
            var resume = left.DnsAndRangeRestored;
            await JournalAsync(run, left, holding: !resume, budgetSpent: true, ct);
            stuck.BudgetSpentJournaled = true;
            if (resume)
            {
                data.RollbackProblems.Add($"{stuck.Step}: {stuck.Cause}");
                data.Stuck = null;
                data.Outcome = null;
                return ExecutionResult.Outcome(StepOutcomes.Next);
            }
        }
        return ExecutionResult.Sleep(PollInterval, null);
    }

    async Task<long> JournalAsync(
        CutoverContext run,
        RollbackLeftBehind left,
        bool holding,
        bool budgetSpent,
        CancellationToken ct
    )
    {
        var data = run.Data;
        var stuck = data.Stuck!;
        var budgetEndsAt = data.PausedAt + run.WindowBudget;
        var payload = new RollbackStuckPayload(
            stuck.Step,
            stuck.Cause,
            holding,
            Decision(run, left, holding, budgetSpent, budgetEndsAt),
            data.PausedAt,
            budgetEndsAt,
            budgetSpent,
            left
        );
        long lead = 0;
        // Every environment the cutover moves is held, so each one's history (and `cutover retry` on it) shows it.
        foreach (var member in data.Moved())
        {
            var entry = await journal.AppendAsync(
                run.Event(payload) with
                {
                    Environment = member.Subject.EnvironmentId,
                },
                ct
            );
            if (member == data)
                lead = entry.Sequence;
        }
        return lead;
    }

    static string Decision(
        CutoverContext run,
        RollbackLeftBehind left,
        bool holding,
        bool budgetSpent,
        DateTimeOffset? budgetEndsAt
    )
    {
        var restored = left.DnsAndRangeRestored
            ? "the records and routes read back as before the cutover, only this step's restore is unverified"
            : "a resume now would send from addresses or names not restored: mail would be refused or lost";
        var retry = $"retry with `cutover retry {run.Subject.EnvironmentId}` once the cause is mended";
        if (budgetSpent)
            return holding
                ? $"the window budget is spent, but {restored}: sending stays paused; {retry}"
                : $"the window budget is spent and {restored}: sending resumes on the data centre, the incident names what was left";
        var atBudgetEnd = left.DnsAndRangeRestored
            ? "sending resumes on the data centre unless retried"
            : "sending stays paused";
        return $"sending stays paused (lease renewed) because {restored}; {retry}; when the window budget ends at {budgetEndsAt:u}, {atBudgetEnd} if the state then reads the same";
    }
}
