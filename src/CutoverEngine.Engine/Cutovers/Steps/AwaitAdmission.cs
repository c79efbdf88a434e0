using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers.Admission;
using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Before the pause: reserves the account's quota for this cutover's mutating calls (its Route 53 change, EC2
/// mutations, BYOIP advertisement) and waits until just before its slot, so the wait for the quota is spent while the
/// customer still sends. Long waits are slept durably; the last seconds are waited in the step for precision. Before
/// that, it claims the cutover's pause slots under the safety caps (<see cref="Safety.PauseSlots"/>) and waits, still
/// sending, while a cap is full.
/// </summary>
[CutoverStepKind(
    nameof(AwaitAdmission),
    Paths = StepPaths.Forward,
    Before = [nameof(PauseSending)],
    Because = "its wait must not be downtime"
)]
public sealed class AwaitAdmission(
    StepFrameServices frame,
    ICutoverAdmission admission,
    EngineRun engineRun,
    IZoneChangeBatcher zoneChanges,
    Safety.PauseSlots pauseSlots,
    IOptions<CutoverOptions> options
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var data = run.Data;
        var s = run.Subject;
        var o = options.Value.Admission;
        if (data.AdmittedAt is { } admitted)
            return StepResult.Done($"admitted at {admitted:O}");
        // The safety caps come first, admission on or off: the quota's slot is reserved only once the cutover may
        // pause at all, so a long hold does not waste it.
        if (data.PausedAt is null && await pauseSlots.HoldAsync(run, held => Journal(run, held), ct) is { } hold)
            return hold;
        if (!o.Enabled || data.PausedAt is not null)
        {
            data.AdmittedAt = Clock.GetUtcNow();
            return StepResult.Done(
                o.Enabled
                    ? "already paused: admitted"
                    : "admission is off (Cutovers:Admission:Enabled): pausing at once"
            );
        }

        var request = s.IsByoip
            ? new AdmissionRequest(
                run.InstanceId,
                s.AccountId,
                null,
                Route53Changes: 0,
                Ec2Mutations: 0,
                ByoipAdvertisements: 1
            )
            // Per host: associate the address, then name it (reverse DNS).
            : new AdmissionRequest(
                run.InstanceId,
                s.AccountId,
                s.HostedZoneId,
                Route53Changes: 1,
                Ec2Mutations: 2 * s.MtaHosts.Count,
                ByoipAdvertisements: 0
            );
        // Reservations live in memory: after a restart the cutover reserves again in the new run's schedules.
        if (data.Admission is not { } slot || slot.InRun != engineRun.Id)
        {
            var reserved = admission.Reserve(request);
            data.Admission = slot = new AdmissionRecord
            {
                ReservedAt = reserved.ReservedAt,
                SlotAt = reserved.SlotAt,
                PauseAt = reserved.PauseAt,
                JoinedZoneSlot = reserved.JoinedZoneSlot,
                Bound = reserved.Bound,
                InRun = engineRun.Id,
            };
        }

        var wait = slot.PauseAt - Clock.GetUtcNow();
        if (wait > o.InStepWait)
            return StepResult.WaitFor(
                wait - o.InStepWait,
                $"admission: pausing at {slot.PauseAt:O} for the slot at {slot.SlotAt:O} ({slot.Bound})"
            );
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, Clock, ct);

        // The slot was reserved a while ago; if the live quota has fallen behind it (an earlier cutover called late),
        // wait for the permit here, still sending, instead of paused.
        var postponed = TimeSpan.Zero;
        for (var round = 0; round < 10; round++)
        {
            var behind = admission.LiveQuotaWait(request) - o.Lead;
            if (behind <= TimeSpan.FromMilliseconds(20))
                break;
            if (behind > o.InStepWait)
            {
                slot.PauseAt = Clock.GetUtcNow() + behind;
                return StepResult.WaitFor(
                    behind - o.InStepWait,
                    $"admission: the account's quota is behind its schedule; pausing at {slot.PauseAt:O}"
                );
            }
            postponed += behind;
            await Task.Delay(behind, Clock, ct);
        }

        if (!s.IsByoip)
        {
            // A change to the zone still PENDING (an earlier slot's batch) would hold this cutover's change back,
            // paused:
            // wait for it here instead (the cutovers watching it report INSYNC as soon as the name servers show it).
            var settling = Clock.GetTimestamp();
            await zoneChanges.WhenSettledAsync(s.AccountId, s.HostedZoneId, o.ZoneSettleWait, ct);
            postponed += Clock.GetElapsedTime(settling);
            // From now on the zone's next batch waits for this cutover's change (siblings pausing now share the batch).
            zoneChanges.Expect(s.AccountId, s.HostedZoneId, run.InstanceId, Clock.GetUtcNow() + o.Lead + o.SiblingWait);
        }
        admission.Admitted(request);
        data.AdmittedAt = Clock.GetUtcNow();
        var waited =
            data.AdmittedAt.Value
            - (data.StepStartedAt.TryGetValue(run.Step.Name, out var began) ? began : slot.ReservedAt);
        var waitedFor = new AdmissionWaitedPayload(
            slot.ReservedAt,
            slot.SlotAt,
            slot.PauseAt,
            data.AdmittedAt,
            waited.TotalSeconds,
            postponed.TotalSeconds,
            slot.Bound,
            slot.JoinedZoneSlot,
            s.IsByoip ? null : s.HostedZoneId,
            data.HeldSeconds
        );
        await Journal(run, waitedFor);
        return StepResult.Done(
            $"admitted after {waited.TotalSeconds:0.0} s before the pause ("
                + (data.HeldSeconds is { } held ? $"{held:0.0} s of it held by the safety caps; " : "")
                + $"bound by {slot.Bound}{(slot.JoinedZoneSlot ? ", sharing its zone's slot" : "")})",
            waitedFor
        );
    }
}
