using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Cutovers;

/// <summary>
/// An operator's retry of a stuck rollback (<see cref="RollbackHold"/>): journals rollback-retry-requested (who, why,
/// which step) under the held cutover's instance, which the engine holding the pause sees at the step's next look.
/// It reads and writes the journal only, through the journal's own transactions, so `cutover retry` works beside
/// the `cutover serve` or `cutover run` that holds the pause. Refused, changing nothing, when the environment's
/// latest rollback is not held or a retry of it is already asked.
/// </summary>
public sealed class RollbackRetry(ICutoverJournal journal)
{
    static readonly string[] Story =
    [
        CutoverStartedPayload.Event,
        RollbackStuckPayload.Event,
        RollbackRetryRequestedPayload.Event,
        IncidentPayload.Event,
    ];

    /// <summary>Whether the environment's journal entries end in a rollback held for an operator's retry (what the
    /// pages offer a retry for).</summary>
    public static bool IsWaiting(IEnumerable<JournalEntry> entries) => IsHolding(Latest(entries));

    static JournalEntry? Latest(IEnumerable<JournalEntry> entries) =>
        entries.LastOrDefault(e => Story.Contains(e.Event));

    static bool IsHolding([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] JournalEntry? latest) =>
        latest?.Event == RollbackStuckPayload.Event && JournalPayload.Parse(latest.Payload).Boolean("holding") == true;

    /// <summary>The journaled request.</summary>
    public async Task<JournalEntry> RequestAsync(
        string environmentId,
        string? reason,
        string actor,
        CancellationToken ct = default
    )
    {
        var latest = Latest(await journal.ReadAsync(new JournalQuery { Environment = environmentId }, ct));
        if (latest?.Event == RollbackRetryRequestedPayload.Event)
            throw new RollbackRetryRefusedException(
                $"{environmentId}: a retry of {latest.Step} was asked by {latest.Actor} at {latest.At:u}; the engine holding the pause runs it at its next look"
            );
        if (!IsHolding(latest))
            throw new RollbackRetryRefusedException(
                $"{environmentId} has no rollback waiting for an operator (nothing is stuck): a retry runs a rollback step that could not restore"
            );
        return await journal.AppendAsync(
            JournalEvent
                .Of(
                    new RollbackRetryRequestedPayload(
                        latest.Step ?? "",
                        string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
                        latest.Sequence
                    ),
                    actor
                )
                .FiledWith(latest),
            ct
        );
    }

    /// <summary>
    /// Follows a retry to where the rollback next stands: its incident (rolled-back or failed), or held again
    /// (rollback-stuck); null when neither came within <paramref name="timeout"/>.
    /// </summary>
    public async Task<JournalEntry?> FollowAsync(
        JournalEntry request,
        TimeSpan pollInterval,
        TimeSpan timeout,
        TimeProvider clock,
        CancellationToken ct = default
    )
    {
        var until = clock.GetUtcNow() + timeout;
        while (true)
        {
            var after = await journal.ReadAsync(
                new JournalQuery { WorkflowInstance = request.WorkflowInstance, AfterSequence = request.Sequence },
                ct
            );
            if (
                after.FirstOrDefault(e =>
                    e.Environment == request.Environment
                    && e.Event is IncidentPayload.Event or RollbackStuckPayload.Event
                ) is
                { } end
            )
                return end;
            if (clock.GetUtcNow() >= until)
                return null;
            await Task.Delay(pollInterval, clock, ct);
        }
    }
}
