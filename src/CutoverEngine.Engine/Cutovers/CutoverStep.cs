using System.Diagnostics;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Engine.Telemetry;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// The frame around every cutover step: the step's budget (timeout and attempts from the definition, as a Polly
/// pipeline: <see cref="StepAttemptPipeline"/>), its journal entries, durable waits, and the turn to the rollback
/// path. A step body only says what it did; it never decides where the workflow goes next. A step kind is a
/// subclass with a <see cref="CutoverStepKindAttribute"/>; its constructor takes the frame's services and what the
/// step itself uses.
/// </summary>
public abstract class CutoverStep(StepFrameServices frame) : StepBodyAsync
{
    protected StepFrameServices Frame { get; } = frame;
    protected TimeProvider Clock => Frame.Clock;

    // The span of this step run (WorkflowCore builds a body per step run).
    Activity? _span;

    /// <summary>The step's work. Must be idempotent: a crash can replay it.</summary>
    protected abstract Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct);

    public sealed override async Task<ExecutionResult> RunAsync(IStepExecutionContext context)
    {
        var data = (CutoverData)context.Workflow.Data;
        var definition = Frame.Definitions.Get(data.DefinitionId, data.DefinitionVersion);
        var step = definition.Step(context.Step.Name);
        var run = new CutoverContext(context.Workflow.Id, data, definition, step);
        using var span = CutoverTelemetry.StartStep(run);
        _span = span;
        var outcomeBefore = data.Outcome;
        try
        {
            return await RunFramedAsync(context, run);
        }
        finally
        {
            CutoverTelemetry.StepLeft(run, outcomeBefore);
        }
    }

    async Task<ExecutionResult> RunFramedAsync(IStepExecutionContext context, CutoverContext run)
    {
        var data = run.Data;
        var step = run.Step;
        var now = Clock.GetUtcNow();

        // Every log line of the step (the frame's, the gateways', the probes') carries the cutover it belongs to.
        using var _log = Frame.Log.BeginScope(
            new Dictionary<string, object>
            {
                ["Environment"] = data.Subject.EnvironmentId,
                ["WorkflowInstance"] = context.Workflow.Id,
                ["Step"] = step.Name,
            }
        );
        using var _scope = CutoverScope.Enter(run);
        using var _aws = CutoverEngine.Aws.Recording.AwsCallScope.Begin([
            new("Wave", data.WaveId),
            new("Environment", data.Subject.EnvironmentId),
            new("WorkflowInstance", context.Workflow.Id),
            new("Step", step.Name),
        ]);
        // While the customer is paused, this cutover's AWS calls go ahead of reads for cutovers that have not paused
        // yet.
        using var _urgent = CutoverEngine.Aws.Resilience.AwsCallPriority.Urgent(
            data.PausedAt is not null && data.ResumedAt is null
        );

        if (!data.StartJournaled)
            await JournalStart(run, context.CancellationToken);

        // A restore step that failed holds the pause until an operator's retry (null: retried, run it afresh).
        if (
            data.Stuck?.Step == step.Name
            && await Frame.Holds.KeepAsync(run, now, context.CancellationToken) is { } held
        )
            return held;

        if (!data.StepStartedAt.TryGetValue(step.Name, out var startedAt))
        {
            startedAt = now;
            data.StepStartedAt[step.Name] = now;
            data.CurrentStep = step.Name;
            await Journal(run, new StepStartedPayload(step.Kind, step.Timeout.TotalSeconds));
        }

        // First seen past the budget too: the warning precedes the rollback it announces.
        if (data.PausedAt is { } since && data.ResumedAt is null && !data.BudgetWarningJournaled)
            await WarnOfBudgetAsync(run, since, now, context.CancellationToken);

        // A forward step is not started once the window budget is spent: the customer's pause must end.
        if (!step.IsRollback && data.PausedAt is { } pausedAt && now - pausedAt > run.WindowBudget)
            return await TurnToRollback(
                run,
                $"window budget of {run.WindowBudget.TotalMinutes:0.#} min exceeded: paused since {pausedAt:O}, {(now - pausedAt).TotalMinutes:0.0} min ago"
            );

        var remaining = step.Timeout - (now - startedAt);
        if (remaining <= TimeSpan.Zero)
            return await Failed(
                run,
                $"step '{step.Name}' did not finish within its timeout of {step.Timeout.TotalSeconds:0} s"
                    + (data.WaitingFor.TryGetValue(step.Name, out var last) ? $": {last}" : "")
            );

        // After a restart the pause's probes start again at the next step; they never hold the step up.
        await Frame.OtherFunctions.KeepAsync(run, context.CancellationToken);
        var attempts = StepAttemptPipeline.For(step, remaining, Clock, failed => new ValueTask(Journal(run, failed)));
        StepResult result;
        var watch = Stopwatch.StartNew();
        try
        {
            // Bodies are idempotent, so a second attempt never doubles an effect; the lease is renewed when due.
            result = await attempts.ExecuteAsync(
                async ct =>
                {
                    await Frame.Leases.RenewIfDueAsync(run, ct);
                    return await ExecuteAsync(run, ct);
                },
                context.CancellationToken
            );
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw; // the host is stopping: WorkflowCore runs the step again after restart
        }
        catch (TimeoutRejectedException)
        {
            result = StepResult.Fail(
                $"step '{step.Name}' did not finish within its timeout of {step.Timeout.TotalSeconds:0} s"
                    + (data.WaitingFor.TryGetValue(step.Name, out var last) ? $": {last}" : "")
            );
        }
        catch (Exception e)
        {
            result = StepResult.Fail($"{e.GetType().Name}: {e.Message}");
        }

        // The step's AWS attempts go into the journal before the step's own outcome does.
        await Frame.AwsAttempts.FlushAsync(CancellationToken.None);
        // The pause just began (probes start) or just ended (the series is journaled).
        await Frame.OtherFunctions.KeepAsync(run, CancellationToken.None);
        switch (result)
        {
            case StepResult.Completed done:
                CutoverTelemetry.StepEnded(run, _span, Clock.GetUtcNow() - startedAt, completed: true);
                data.StepStartedAt.Remove(step.Name);
                data.WaitingFor.Remove(step.Name);
                await Journal(
                    run,
                    new StepCompletedPayload(
                        done.Summary,
                        done.Output,
                        watch.Elapsed.TotalMilliseconds,
                        (Clock.GetUtcNow() - startedAt).TotalMilliseconds
                    )
                );
                return ExecutionResult.Outcome(StepOutcomes.Next);
            case StepResult.Waiting wait:
                data.WaitingFor[step.Name] = wait.Reason;
                if (Clock.GetUtcNow() + wait.Delay - startedAt > step.Timeout)
                    return await Failed(
                        run,
                        $"step '{step.Name}' timed out after {step.Timeout.TotalSeconds:0} s: {wait.Reason}"
                    );
                return ExecutionResult.Sleep(wait.Delay, null);
            case StepResult.Failed failed:
                return await Failed(run, failed.Cause, failed.Output);
            default:
                throw new InvalidOperationException($"unknown step result {result}");
        }
    }

    /// <summary>
    /// Journals window-budget-warning once the pause has used <see cref="Domain.Waves.WindowBudget.WarningShare"/>
    /// of the budget. Checked at every step run, so a waiting step (INSYNC, verification) notices it within its
    /// watch window. A replay after a crash that lost the flag finds the entry and writes none twice.
    /// </summary>
    async Task WarnOfBudgetAsync(CutoverContext run, DateTimeOffset pausedAt, DateTimeOffset now, CancellationToken ct)
    {
        var budget = run.WindowBudget;
        if (!Domain.Waves.WindowBudget.IsNearlySpent(now - pausedAt, budget))
            return;
        var written = await Frame.Journal.ReadAsync(new JournalQuery { WorkflowInstance = run.InstanceId }, ct);
        if (!written.Any(e => e.Event == WindowBudgetWarningPayload.Event))
            await Journal(
                run,
                new WindowBudgetWarningPayload(
                    pausedAt,
                    budget.TotalSeconds,
                    (now - pausedAt).TotalSeconds,
                    Math.Round((now - pausedAt) / budget, 3)
                )
            );
        run.Data.BudgetWarningJournaled = true;
    }

    async Task<ExecutionResult> Failed(CutoverContext run, string cause, object? output = null)
    {
        if (run.Data.StepStartedAt.TryGetValue(run.Step.Name, out var startedAt))
            CutoverTelemetry.StepEnded(run, _span, Clock.GetUtcNow() - startedAt, completed: false);
        run.Data.StepStartedAt.Remove(run.Step.Name);
        run.Data.WaitingFor.Remove(run.Step.Name);
        await Journal(run, new StepFailedPayload(cause, output));
        if (run.Step.IsRollback)
        {
            // A failed restore holds the pause rather than resume on a half-restored world (RollbackHold).
            if (
                RollbackHold.HoldsPause(run.Step)
                && await Frame.Holds.EnterAsync(run, cause, Clock.GetUtcNow(), CancellationToken.None) is { } held
            )
                return held;
            // Any other rollback step carries on whatever happens: its last steps resume sending.
            run.Data.RollbackProblems.Add($"{run.Step.Name}: {cause}");
            return ExecutionResult.Outcome(StepOutcomes.Next);
        }
        return await TurnToRollback(run, cause);
    }

    async Task<ExecutionResult> TurnToRollback(CutoverContext run, string cause)
    {
        run.Data.RollbackCause ??= cause;
        run.Data.RollbackStep ??= run.Step.Name;
        run.Data.StepStartedAt.Remove(run.Step.Name);
        // Siblings batching with this cutover's DNS change must not wait for a change that will not come.
        if (!run.Subject.IsByoip)
            Frame.ZoneChanges.Withdraw(run.Subject.AccountId, run.Subject.HostedZoneId, run.InstanceId);
        await Journal(run, new RollbackStartedPayload(cause, run.Step.Name));
        return ExecutionResult.Outcome(StepOutcomes.Rollback);
    }

    /// <summary>
    /// The cutover's first entry, written by the workflow itself so that it precedes every step's entries (the launcher
    /// learns the instance id only once WorkflowCore may already run the first step). A replay after a crash that lost
    /// the flag finds the entry already there and does not write it twice.
    /// </summary>
    async Task JournalStart(CutoverContext run, CancellationToken ct)
    {
        // A range group's cutover starts every environment's history: one cutover-started each (and a revert's
        // revert-started), then the group's.
        var moved = run.Data.Moved();
        var written = await Frame.Journal.ReadAsync(
            new JournalQuery { WorkflowInstance = run.InstanceId, Limit = 2 * moved.Count + 1 },
            ct
        );
        foreach (var member in moved)
        {
            bool Written(string kind) =>
                written.Any(e => e.Event == kind && e.Environment == member.Subject.EnvironmentId);
            if (!Written(CutoverStartedPayload.Event))
                await Frame.Journal.AppendAsync(
                    run.Event(new CutoverStartedPayload(member.Subject)) with
                    {
                        Step = null,
                        Environment = member.Subject.EnvironmentId,
                    },
                    ct
                );
            if (run.Data.RevertOf is { } revert && !Written(RevertStartedPayload.Event))
                await Frame.Journal.AppendAsync(
                    run.Event(new RevertStartedPayload(revert.InstanceId, revert.CompletedAt, revert.Reason)) with
                    {
                        Step = null,
                        Environment = member.Subject.EnvironmentId,
                    },
                    ct
                );
        }
        if (moved.Count > 1 && !written.Any(e => e.Event == RangeGroupCutoverStartedPayload.Event))
            await Frame.Journal.AppendAsync(
                run.Event(
                    new RangeGroupCutoverStartedPayload(
                        run.Subject.RangeGroup ?? "",
                        run.Subject.ByoipCidr ?? "",
                        [.. moved.Select(m => m.Subject.EnvironmentId)]
                    )
                ) with
                {
                    Step = null,
                },
                ct
            );
        run.Data.StartJournaled = true;
    }

    protected Task Journal<TPayload>(CutoverContext run, TPayload payload)
        where TPayload : IJournalPayload
    {
        // The journal is the record; the log line is for people watching (enriched with environment, instance, step).
        var level = TPayload.EventName is StepFailedPayload.Event or RollbackStartedPayload.Event
            ? LogLevel.Warning
            : LogLevel.Information;
        Frame.Log.Log(
            level,
            "{Event} {StepName} of {EnvironmentId}: {@Payload}",
            TPayload.EventName,
            run.Step.Name,
            run.Subject.EnvironmentId,
            payload
        );
        return Frame.Journal.AppendAsync(run.Event(payload));
    }

    /// <summary>An event filed under one of the environments the cutover moves (a range group's member, or the
    /// lead).</summary>
    protected Task Journal<TPayload>(CutoverContext run, CutoverData member, TPayload payload)
        where TPayload : IJournalPayload
    {
        if (member == run.Data)
            return Journal(run, payload);
        Frame.Log.LogInformation(
            "{Event} {StepName} of {EnvironmentId} (range group of {Lead}): {@Payload}",
            TPayload.EventName,
            run.Step.Name,
            member.Subject.EnvironmentId,
            run.Subject.EnvironmentId,
            payload
        );
        return Frame.Journal.AppendAsync(run.Event(payload) with { Environment = member.Subject.EnvironmentId });
    }
}
