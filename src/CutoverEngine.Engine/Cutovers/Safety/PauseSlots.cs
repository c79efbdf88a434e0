using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Safety;

/// <summary>
/// The steps' side of the safety caps: a cutover claims its pause slots before it pauses (<see
/// cref="Steps.AwaitAdmission"/>, and <see cref="Steps.PauseSending"/> for definitions without it, such as the
/// revert), waits durably while a cap is full, still sending, and releases its slots once sending is resumed or the
/// cutover is closed. The count and the claim are the store's (<see cref="IPauseClaims"/>).
/// </summary>
public sealed class PauseSlots(
    IPauseClaims claims,
    IOptions<SafetyOptions> options,
    ICutoverJournal journal,
    TimeProvider clock
)
{
    /// <summary>
    /// Claims the slots of every environment the cutover moves. Null when they are held now (the step goes on to
    /// pause); else the durable wait to return, after journaling cutover-held when the reason is new.
    /// </summary>
    /// <param name="journalHeld">Writes the step's cutover-held entry (the frame's journal, echoed to the log).</param>
    public async Task<StepResult?> HoldAsync(
        CutoverContext run,
        Func<CutoverHeldPayload, Task> journalHeld,
        CancellationToken ct
    )
    {
        var data = run.Data;
        var now = clock.GetUtcNow();
        var production = Tier.Production.ToWireName();
        var asking = data.Moved()
            .Select(m => new PauseClaim(
                run.InstanceId,
                m.Subject.EnvironmentId,
                m.Subject.Customer,
                m.Subject.AccountId,
                m.Subject.Tier == production,
                now
            ))
            .ToList();
        if (await claims.TryClaimAsync(asking, ct) is not { } hold)
        {
            if (data.HeldSince is { } since)
                data.HeldSeconds ??= (now - since).TotalSeconds;
            return null;
        }
        data.HeldSince ??= now;
        if (data.HeldFor != hold.Reason)
        {
            if (!await LastJournaledAsync(run, hold, ct))
                await journalHeld(
                    new CutoverHeldPayload(hold.Cap, hold.Limit, hold.Scope, hold.HeldBy, data.HeldSince.Value)
                );
            data.HeldFor = hold.Reason;
        }
        return StepResult.WaitFor(
            options.Value.HoldRetryInterval,
            $"held by {hold.Reason}: {hold.HeldBy.Count} paused of {hold.Limit} allowed ({string.Join(", ", hold.HeldBy)})"
        );
    }

    /// <summary>Releases the cutover's slots (every end path: resumed, rolled back, failed); safe to repeat.</summary>
    public Task ReleaseAsync(CutoverContext run, CancellationToken ct) => claims.ReleaseAsync(run.InstanceId, ct);

    /// <summary>Whether the cutover's last cutover-held entry is this reason already: a replay after a crash that lost
    /// <see cref="CutoverData.HeldFor"/> writes it no twice.</summary>
    async Task<bool> LastJournaledAsync(CutoverContext run, PauseHold hold, CancellationToken ct)
    {
        var written = await journal.ReadAsync(new JournalQuery { WorkflowInstance = run.InstanceId }, ct);
        var last = written.LastOrDefault(e => e.Event == CutoverHeldPayload.Event);
        if (last is null)
            return false;
        var p = JournalPayload.Parse(last.Payload);
        return p.String("cap") == hold.Cap && p.String("within") == hold.Scope;
    }
}
