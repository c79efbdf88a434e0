using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;

namespace CutoverEngine.Engine.Waves;

/// <summary>
/// The wave operations engineers (CLI, API) call: each checks the wave's state machine and the policies, writes
/// the store with optimistic concurrency, then arms or disarms the wave's durable trigger (a wave-start workflow)
/// and records its caller in the journal.
/// </summary>
public sealed class WaveService(
    WaveStore store,
    ICutoverJournal journal,
    TimeProvider clock,
    NoticePolicy notice,
    Inventory inventory,
    WaveScheduler scheduler,
    IWaveStarter starter,
    NoticeMail? mail = null,
    WaveReminders? reminders = null,
    Preparation.WavePreparation? preparation = null,
    WorkflowCore.Interface.IPersistenceProvider? workflows = null,
    WaveAdmission? admission = null,
    Freezes.WaveFreezes? freezes = null
)
{
    public WaveStore Store => store;

    /// <summary>The approvals waves need (Waves:Approval; defaults when not registered).</summary>
    public WaveAdmission Admission { get; } =
        admission ?? new WaveAdmission(store, inventory, new ApprovalOptions(), freezes);

    public Inventory Inventory => inventory;

    public async Task<Wave> CreateAsync(
        string id,
        IReadOnlyList<string> environments,
        DateTimeOffset plannedStart,
        int parallel,
        WaveOrder order,
        string actor,
        CancellationToken ct = default
    )
    {
        var wave = Wave.Draft(id, environments, plannedStart, parallel, order);
        inventory.Select(wave.Environments); // every id must exist: throws UnknownEnvironmentException naming each
        RangeGroupRule.Require($"to create wave '{id}'", wave.Environments, inventory);
        await RequireNotCutOverAsync(wave, "create", ct);
        var stored = await store.CreateAsync(wave, actor, clock.GetUtcNow(), ct);
        await journal.AppendAsync(
            JournalEvent.Of(
                new WaveCreatedPayload(wave.Environments, wave.PlannedStart, parallel, WaveNames.Of(order)),
                actor
            ) with
            {
                Wave = id,
            },
            ct
        );
        return stored;
    }

    /// <summary>The notice, staging-first and range-group violations of starting <paramref name="wave"/> at <paramref
    /// name="start"/>.</summary>
    public Task<IReadOnlyList<PolicyViolation>> CheckPolicyAsync(
        Wave wave,
        DateTimeOffset start,
        CancellationToken ct = default
    ) => CheckPolicyAsync(wave, start, null, ct);

    /// <param name="given">Notices given but not recorded yet, by environment id: they count as the latest.</param>
    public async Task<IReadOnlyList<PolicyViolation>> CheckPolicyAsync(
        Wave wave,
        DateTimeOffset start,
        IReadOnlyDictionary<string, DateTimeOffset>? given,
        CancellationToken ct
    )
    {
        var environments = inventory.Select(wave.Environments);
        var notices = new Dictionary<string, DateTimeOffset>(
            await store.LatestNoticesAsync(wave.Environments, ct),
            StringComparer.Ordinal
        );
        foreach (var (environment, at) in given ?? new Dictionary<string, DateTimeOffset>())
            notices[environment] = at;
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var staging in inventory.Environments.Where(e => e.Tier == Tier.Staging))
            if (await store.HasSucceededAsync(staging.Id, ct))
                succeeded.Add(staging.Id);
        return
        [
            .. notice.Check(environments, start, notices),
            .. StagingFirstRule.Check(environments, inventory, succeeded.Contains),
            .. RangeGroupRule.Violations(wave.Environments, inventory),
        ];
    }

    /// <summary>The change freezes the wave as it will stand (<paramref name="terms"/>) would break starting at
    /// <paramref name="start"/>, less those already overridden for it.</summary>
    async Task<IReadOnlyList<Domain.Waves.Freezes.FreezeConflict>> FreezeConflictsAsync(
        Wave terms,
        DateTimeOffset start,
        CancellationToken ct
    ) => freezes is null ? [] : await freezes.ConflictsAsync(terms, start, ct);

    /// <param name="terms">The wave as it will stand after the operation (the new time, the environment moved in):
    /// what a freeze override is recorded for. Default <paramref name="wave"/>.</param>
    async Task EnforcePolicyAsync(
        Wave wave,
        DateTimeOffset start,
        string operation,
        string actor,
        string? overrideReason,
        CancellationToken ct,
        IReadOnlyDictionary<string, DateTimeOffset>? given = null,
        IReadOnlyList<PolicyViolation>? gate = null,
        Wave? terms = null
    )
    {
        // Not a policy an override waives: a wave with part of a range group would move the rest unpaused.
        RangeGroupRule.Require($"to {operation} wave '{wave.Id}'", wave.Environments, inventory);
        var frozen = await FreezeConflictsAsync(terms ?? wave, start, ct);
        IReadOnlyList<PolicyViolation> violations =
        [
            .. await CheckPolicyAsync(wave, start, given, ct),
            .. gate ?? [],
            .. frozen.Select(c => c.ToViolation()),
        ];
        if (violations.Count == 0)
            return;
        if (string.IsNullOrWhiteSpace(overrideReason))
            throw new PolicyRefusedException(wave.Id, operation, violations);
        var decision = PolicyOverride.Create(overrideReason, actor, clock.GetUtcNow());
        await store.RecordOverrideAsync(new OverrideRecord(wave.Id, operation, decision, violations), ct);
        // A freeze overridden stays overridden for the wave as it stands; its approvals are needed again.
        if (frozen.Count > 0)
            await freezes!.RecordOverrideAsync(terms ?? wave, frozen, decision, ct);
        await journal.AppendAsync(
            JournalEvent.Of(new WavePolicyOverriddenPayload(operation, decision.Reason, start, violations), actor) with
            {
                Wave = wave.Id,
            },
            ct
        );
    }

    /// <summary>The waves that hold an environment for good: it is cut over, or about to be, in them.</summary>
    public static readonly IReadOnlyCollection<WaveState> ActiveStates =
    [
        WaveState.Scheduled,
        WaveState.Running,
        WaveState.Stopped,
    ];

    /// <summary>
    /// An environment belongs to at most one active wave, and one already cut over (its last cutover completed and
    /// was not reverted) to none: two waves would pause and repoint it twice. `wave move` is the way to change its
    /// wave.
    /// </summary>
    async Task RequireOwnEnvironmentsAsync(Wave wave, string operation, CancellationToken ct)
    {
        foreach (var environment in wave.Environments)
        {
            var others = await store.OtherWavesHoldingAsync(environment, wave.Id, ActiveStates, ct);
            if (others.Count > 0)
            {
                var other = await store.GetAsync(others[0], ct);
                throw new EnvironmentTakenException(
                    $"Refused to {operation} wave '{wave.Id}': environment {environment} is in wave '{other.Id}' "
                        + $"({WaveNames.Of(other.State)}); an environment belongs to one active wave at a time. "
                        + $"Move it (cutover wave move {environment} --to {wave.Id}) or cancel '{other.Id}'.",
                    environment,
                    other.Id
                );
            }
        }
        await RequireNotCutOverAsync(wave, operation, ct);
    }

    async Task RequireNotCutOverAsync(Wave wave, string operation, CancellationToken ct)
    {
        foreach (var environment in wave.Environments)
            if (
                await store.LastCutoverAsync(environment, ct) is { Outcome: CutoverOutcomes.Completed } last
                && last.WaveId != wave.Id
                // Reverted: it is back on the data centre, and a new wave may cut it over again.
                && (workflows is null || await Reverts.CompletedReverts.OfAsync(workflows, last.InstanceId, ct) is null)
            )
                throw new EnvironmentTakenException(
                    $"Refused to {operation} wave '{wave.Id}': environment {environment} is already cut over: its "
                        + $"last cutover {last.InstanceId} in wave '{last.WaveId}' completed.",
                    environment,
                    last.WaveId
                );
    }

    /// <summary>Schedules a draft or missed wave (or moves a scheduled one) to start by itself at <paramref
    /// name="at"/>.</summary>
    public async Task<Wave> ScheduleAsync(
        string id,
        DateTimeOffset at,
        string actor,
        string? reason = null,
        string? overrideReason = null,
        CancellationToken ct = default
    )
    {
        var wave = await store.GetAsync(id, ct);
        var operation = wave.State == WaveState.Draft ? "schedule" : "reschedule";
        if (wave.State == WaveState.Scheduled && wave.ScheduledFor == at.ToUniversalTime())
            return wave; // idempotent
        var next = wave.Schedule(at); // the state machine first: a cancelled wave is refused as such
        if (operation == "reschedule" && string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException(
                $"Rescheduling wave '{id}' needs a reason (customers were told another time).",
                nameof(reason)
            );
        if (at <= clock.GetUtcNow())
            throw new ArgumentException(
                $"Cannot {operation} wave '{id}' for {at:u}: that is not in the future (now {clock.GetUtcNow():u}); use start to start now.",
                nameof(at)
            );
        await RequireOwnEnvironmentsAsync(wave, operation, ct);
        if (mail?.ConfiguredRelay is { } relay)
            await NotifyScheduledAsync(relay, wave, next, operation, actor, overrideReason, ct);
        else
            await EnforcePolicyAsync(wave, at, operation, actor, overrideReason, ct, terms: next);
        await UpdateAsync(wave, next, ct);
        await scheduler.ArmAsync(id, next.ScheduledFor!.Value, ct);
        // The reminder of the earlier start is terminated (it would find its start stale and send nothing anyway).
        if (reminders is not null && mail?.ConfiguredRelay is not null)
            await reminders.ArmAsync(id, next.ScheduledFor!.Value, ct);
        else if (reminders is not null)
            await reminders.DisarmAsync(id, null, ct);
        if (preparation is not null)
            await preparation.ArmAsync(next, next.ScheduledFor!.Value, ct);
        var scheduled =
            operation == "schedule"
                ? JournalEvent.Of(new WaveScheduledPayload(next.ScheduledFor, wave.ScheduledFor, reason), actor)
                : JournalEvent.Of(new WaveRescheduledPayload(next.ScheduledFor, wave.ScheduledFor, reason), actor);
        await journal.AppendAsync(scheduled with { Wave = id }, ct);
        await JournalApprovalNeededAsync(next, actor, ct);
        return next;
    }

    /// <summary>
    /// Journals `wave-approval-needed` when the scheduled <paramref name="wave"/> lacks approvals after a change, so
    /// approvers hear of it (webhook) while there is time, not when the scheduler finds the wave blocked.
    /// </summary>
    async Task JournalApprovalNeededAsync(Wave wave, string actor, CancellationToken ct)
    {
        if (wave.State != WaveState.Scheduled || await MissingApprovalsAsync(wave, ct) is not { Count: > 0 } missing)
            return;
        var (valid, required) = await ApprovalStatusAsync(wave, ct);
        await journal.AppendAsync(
            JournalEvent.Of(
                new WaveApprovalNeededPayload(wave.ScheduledFor, missing, valid.Count, required),
                actor
            ) with
            {
                Wave = wave.Id,
            },
            ct
        );
    }

    /// <summary>
    /// With a relay configured, scheduling tells the customers: the policy is checked as if the notices went out
    /// now (nothing is sent for a window they cannot reach in time), every notice is sent, the policy is checked
    /// again against the instants the relay accepted them, and only then are they recorded. A notice the relay
    /// refuses stops it there: the wave is unchanged, nothing is recorded, and the failure is journaled.
    /// </summary>
    /// <param name="wave">The environments to notify and check (all of <paramref name="next"/>'s, or the one a move
    /// brings).</param>
    /// <param name="next">The wave as it will be: its windows are what the notices state.</param>
    async Task NotifyScheduledAsync(
        System.Net.DnsEndPoint relay,
        Wave wave,
        Wave next,
        string operation,
        string actor,
        string? overrideReason,
        CancellationToken ct
    )
    {
        var at = next.ScheduledFor!.Value;
        var now = clock.GetUtcNow();
        var asIfNow = wave.Environments.ToDictionary(e => e, _ => now, StringComparer.Ordinal);
        IReadOnlyList<PolicyViolation> before =
        [
            .. await CheckPolicyAsync(wave, at, asIfNow, ct),
            .. (await FreezeConflictsAsync(next, at, ct)).Select(c => c.ToViolation()),
        ];
        if (before.Count > 0 && string.IsNullOrWhiteSpace(overrideReason))
            throw new PolicyRefusedException(wave.Id, operation, before);
        var notices = mail!.Render(next).Where(n => wave.Environments.Contains(n.Environment.Id)).ToList();
        var uncontacted = notices.Where(n => n.Recipients.Count == 0).Select(n => n.Environment).ToList();
        if (uncontacted.Count > 0)
            throw new NoContactsException(wave.Id, uncontacted);
        var accepted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var notice in notices)
        {
            var environment = notice.Environment.Id;
            try
            {
                var sequence = await store.NextSequenceAsync(wave.Id, environment, ct);
                accepted[environment] = await mail.SendAsync(relay, next, notice, sequence, NoticeKind.Window, ct);
            }
            catch (NoticeRelayException e)
            {
                await journal.AppendAsync(
                    JournalEvent.Of(
                        new WaveNoticesFailedPayload(operation, environment, e.Message, [.. accepted.Keys]),
                        actor
                    ) with
                    {
                        Wave = wave.Id,
                    },
                    ct
                );
                throw new NoticesFailedException(wave.Id, operation, environment, [.. accepted.Keys], e);
            }
        }
        await EnforcePolicyAsync(wave, at, operation, actor, overrideReason, ct, accepted, terms: next);
        foreach (var notice in notices)
            await RecordNoticeAsync(
                wave.Id,
                notice.Environment,
                actor,
                null,
                sent: true,
                accepted[notice.Environment.Id],
                ct
            );
    }

    const string MoveOperation = "move an environment into";

    /// <summary>
    /// `wave move`: takes an environment out of its wave (draft, scheduled or missed) into <paramref name="targetId"/>
    /// (draft or scheduled), at its customer's request. Into a scheduled wave the notice policy is checked for the
    /// new window (production closer than 30 days needs <paramref name="overrideReason"/>) and, with a relay, the
    /// superseding notice is sent first. A source left empty is cancelled. Moving it again is a no-op.
    /// </summary>
    public async Task<Wave> MoveAsync(
        string environmentId,
        string targetId,
        string actor,
        string reason,
        string? overrideReason = null,
        CancellationToken ct = default
    )
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException($"Moving {environmentId} needs the customer's reason.", nameof(reason));
        inventory.Select([environmentId]); // throws UnknownEnvironmentException naming it
        var target = await store.GetAsync(targetId, ct);
        if (target.Environments.Contains(environmentId, StringComparer.Ordinal))
        {
            // Moving it again sends the cancel of its old invitation that the relay refused the first time.
            if (mail?.ConfiguredRelay is { } again)
                await SendInvitationCancelsAsync(again, environmentId, actor, ct);
            return target;
        }
        if (target.State is not (WaveState.Draft or WaveState.Scheduled))
            throw new WaveStateException(
                $"Cannot move {environmentId} into wave '{targetId}': it is {WaveNames.Of(target.State)}; "
                    + "a move needs it draft or scheduled."
            );
        var holders = new List<Wave>();
        foreach (var id in await store.OtherWavesHoldingAsync(environmentId, targetId, Enum.GetValues<WaveState>(), ct))
            if (await store.GetAsync(id, ct) is { IsFinal: false } holder)
                holders.Add(holder);
        var source =
            holders.FirstOrDefault(h => h.State is WaveState.Running or WaveState.Stopped)
            ?? holders.FirstOrDefault(h => h.State == WaveState.Scheduled)
            ?? holders.FirstOrDefault()
            ?? throw new WaveStateException(
                $"Cannot move {environmentId}: it is in no draft, scheduled or missed wave; "
                    + $"create a wave with it instead."
            );
        if (source.State is WaveState.Running or WaveState.Stopped)
            throw new WaveStateException(
                $"Cannot move {environmentId} out of wave '{source.Id}': it is {WaveNames.Of(source.State)}."
            );
        var moved = target with { Environments = [.. target.Environments, environmentId] };
        var subject = moved with { Environments = [environmentId] };
        await RequireNotCutOverAsync(subject, "move into", ct);
        if (target.State == WaveState.Scheduled)
        {
            if (mail?.ConfiguredRelay is { } relay)
                await NotifyScheduledAsync(relay, subject, moved, MoveOperation, actor, overrideReason, ct);
            else
                await EnforcePolicyAsync(
                    subject,
                    target.ScheduledFor!.Value,
                    MoveOperation,
                    actor,
                    overrideReason,
                    ct,
                    terms: moved
                );
        }
        // The customer's calendar holds the old wave's event when a notice of it was sent: it is owed a cancel,
        // recorded with the move itself and sent once the move stands.
        var cancelReason =
            mail?.ConfiguredRelay is not null && await store.HasSentNoticeAsync(source.Id, environmentId, ct)
                ? $"moved to wave '{targetId}': {reason}"
                : null;
        if (!await store.TryMoveEnvironmentAsync(environmentId, source, target, clock.GetUtcNow(), cancelReason, ct))
            throw new WaveStateException(
                $"Wave '{source.Id}' or '{targetId}' changed meanwhile; read them again and retry the move."
            );
        await journal.AppendAsync(
            JournalEvent.Of(new EnvironmentMovedPayload(source.Id, targetId, reason, target.ScheduledFor), actor) with
            {
                Wave = targetId,
                Environment = environmentId,
            },
            ct
        );
        if (cancelReason is not null && mail?.ConfiguredRelay is { } relayNow)
            await SendInvitationCancelsAsync(relayNow, environmentId, actor, ct);
        if (source.Environments.Count == 1)
            await CancelAsync(source.Id, actor, $"its only environment {environmentId} moved to wave '{targetId}'", ct);
        else
            await JournalApprovalNeededAsync(await store.GetAsync(source.Id, ct), actor, ct);
        var after = await store.GetAsync(targetId, ct);
        await JournalApprovalNeededAsync(after, actor, ct);
        return after;
    }

    public Task<Wave> RescheduleAsync(
        string id,
        DateTimeOffset at,
        string actor,
        string reason,
        string? overrideReason = null,
        CancellationToken ct = default
    ) => ScheduleAsync(id, at, actor, reason, overrideReason, ct);

    public async Task<Wave> CancelAsync(string id, string actor, string reason, CancellationToken ct = default)
    {
        var wave = await store.GetAsync(id, ct);
        if (wave.State == WaveState.Cancelled)
            return wave;
        var next = wave.Cancel(reason);
        await UpdateAsync(wave, next, ct);
        await scheduler.DisarmAsync(id, ct);
        if (reminders is not null)
            await reminders.DisarmAsync(id, null, ct);
        if (wave.State == WaveState.Scheduled && mail?.ConfiguredRelay is { } relay)
            await SendCancellationsAsync(relay, wave, actor, reason, ct);
        await journal.AppendAsync(
            JournalEvent.Of(new WaveCancelledPayload(reason, WaveNames.Of(wave.State)), actor) with
            {
                Wave = id,
            },
            ct
        );
        return next;
    }

    /// <summary>
    /// The customers of a cancelled scheduled wave get a METHOD:CANCEL of their invitation, so calendars drop the
    /// window. The cancel stands whatever the relay says: a refused one is journaled, not retried.
    /// </summary>
    async Task SendCancellationsAsync(
        System.Net.DnsEndPoint relay,
        Wave wave,
        string actor,
        string reason,
        CancellationToken ct
    )
    {
        foreach (var notice in mail!.Render(wave).Where(n => n.Recipients.Count > 0))
        {
            var environment = notice.Environment.Id;
            try
            {
                var sequence = await store.NextSequenceAsync(wave.Id, environment, ct);
                var at = await mail.SendAsync(relay, wave, notice, sequence, NoticeKind.Cancellation, ct);
                await journal.AppendAsync(
                    JournalEvent.Of(
                        new InvitationCancelledPayload(notice.Environment.Customer, sequence, reason, at),
                        actor
                    ) with
                    {
                        Wave = wave.Id,
                        Environment = environment,
                    },
                    ct
                );
            }
            catch (NoticeRelayException e)
            {
                await journal.AppendAsync(
                    JournalEvent.Of(
                        new WaveNoticesFailedPayload(
                            WaveNoticesFailedPayload.CancelOperation,
                            environment,
                            e.Message,
                            []
                        ),
                        actor
                    ) with
                    {
                        Wave = wave.Id,
                    },
                    ct
                );
            }
        }
    }

    /// <summary>
    /// Sends the cancels owed for the environment's invitations of waves it left (<see
    /// cref="WaveStore.PendingInvitationCancelsAsync"/>): METHOD:CANCEL of the old event with the SEQUENCE recorded
    /// at the move, under one Message-ID per cancel so a copy re-sent after a crash can be dropped. A refused one is
    /// journaled `wave-notices-failed` and stays owed: the move stands, and moving the environment again sends it.
    /// </summary>
    async Task SendInvitationCancelsAsync(
        System.Net.DnsEndPoint relay,
        string environmentId,
        string actor,
        CancellationToken ct
    )
    {
        foreach (var cancel in await store.PendingInvitationCancelsAsync(environmentId, ct))
        {
            var old = await store.GetAsync(cancel.WaveId, ct);
            // Every window of a wave opens at its start, so the event's DTSTART is the one the customer holds.
            var notice = mail!.Render(old with { Environments = [environmentId] }).Single();
            try
            {
                var messageId = NoticeMail.CancelMessageId(old.Id, environmentId, cancel.Sequence);
                var at = await mail.SendAsync(
                    relay,
                    old,
                    notice,
                    cancel.Sequence,
                    NoticeKind.Cancellation,
                    messageId,
                    ct
                );
                // Journaled before the mark: a crash between them re-sends (same Message-ID) but finds the entry.
                var earlier = await journal.ReadAsync(
                    new JournalQuery { Wave = old.Id, Environment = environmentId },
                    ct
                );
                if (
                    !earlier.Any(e =>
                        e.Event == InvitationCancelledPayload.Event
                        && JournalPayload.Parse(e.Payload).String("sequence") == $"{cancel.Sequence}"
                    )
                )
                    await journal.AppendAsync(
                        JournalEvent.Of(
                            new InvitationCancelledPayload(
                                notice.Environment.Customer,
                                cancel.Sequence,
                                cancel.Reason,
                                at
                            ),
                            actor
                        ) with
                        {
                            Wave = old.Id,
                            Environment = environmentId,
                        },
                        ct
                    );
                await store.MarkInvitationCancelSentAsync(cancel, at, ct);
            }
            catch (NoticeRelayException e)
            {
                await journal.AppendAsync(
                    JournalEvent.Of(
                        new WaveNoticesFailedPayload(
                            WaveNoticesFailedPayload.MoveOperation,
                            environmentId,
                            e.Message,
                            []
                        ),
                        actor
                    ) with
                    {
                        Wave = old.Id,
                    },
                    ct
                );
            }
        }
    }

    /// <summary>What stops the wave from starting for want of approvals; empty when it has them.</summary>
    public Task<IReadOnlyList<string>> MissingApprovalsAsync(Wave wave, CancellationToken ct = default) =>
        Admission.MissingApprovalsAsync(wave, ct);

    /// <summary>The change freezes the wave breaks at its time, not overridden; empty without a calendar.</summary>
    public Task<IReadOnlyList<Domain.Waves.Freezes.FreezeConflict>> FreezeConflictsAsync(
        Wave wave,
        CancellationToken ct = default
    ) => FreezeConflictsAsync(wave, wave.ScheduledFor ?? wave.PlannedStart, ct);

    /// <summary>The approvals that count for the wave as it stands now, and how many it needs.</summary>
    public Task<(IReadOnlyList<WaveApproval> Valid, int Required)> ApprovalStatusAsync(
        Wave wave,
        CancellationToken ct = default
    ) => Admission.ApprovalStatusAsync(wave, ct);

    /// <summary>Records <paramref name="actor"/>'s approval of the wave as it stands, journaled `wave-approved`.
    /// Approving again (e.g. after a change voided the first) adds a new approval.</summary>
    public async Task<Wave> ApproveAsync(string id, string actor, string reason, CancellationToken ct = default)
    {
        var wave = await store.GetAsync(id, ct);
        var creator = await store.CreatorAsync(id, ct);
        ApprovalRule.RequireApprovable(wave, creator, actor, reason);
        var approval = new WaveApproval(
            actor,
            ApprovalRule.PersonOf(actor),
            reason,
            clock.GetUtcNow(),
            ApprovalRule.Terms(wave)
        );
        await store.RecordApprovalAsync(id, approval, ct);
        var (valid, required) = await ApprovalStatusAsync(wave, ct);
        await journal.AppendAsync(
            JournalEvent.Of(
                new WaveApprovedPayload(approval.Person, reason, approval.Terms, valid.Count, required),
                actor
            ) with
            {
                Wave = id,
            },
            ct
        );
        return wave;
    }

    /// <summary>Withdraws <paramref name="actor"/>'s standing approvals of the wave, journaled
    /// `wave-approval-revoked`; refused when the person has none.</summary>
    public async Task<Wave> RevokeApprovalAsync(string id, string actor, string reason, CancellationToken ct = default)
    {
        var wave = await store.GetAsync(id, ct);
        if (string.IsNullOrWhiteSpace(reason))
            throw new ArgumentException($"To revoke an approval of wave '{id}' a reason is required.", nameof(reason));
        var person = ApprovalRule.PersonOf(actor);
        var revoked = await store.RevokeApprovalsAsync(id, person, actor, reason, clock.GetUtcNow(), ct);
        if (revoked == 0)
            throw new WaveStateException($"Cannot revoke: {person} has no standing approval of wave '{id}'.");
        var (valid, required) = await ApprovalStatusAsync(wave, ct);
        await journal.AppendAsync(
            JournalEvent.Of(new WaveApprovalRevokedPayload(person, reason, revoked, valid.Count, required), actor) with
            {
                Wave = id,
            },
            ct
        );
        await JournalApprovalNeededAsync(wave, actor, ct);
        return wave;
    }

    /// <summary>Starts a draft or scheduled wave now, after the policy check against now.</summary>
    public async Task<Wave> StartNowAsync(
        string id,
        string actor,
        string? overrideReason = null,
        CancellationToken ct = default
    )
    {
        var wave = await store.GetAsync(id, ct);
        if (wave.State == WaveState.Running)
            return wave;
        var next = wave.Start();
        await RequireOwnEnvironmentsAsync(wave, "start", ct);
        // Not waived by an override reason: approvals are the people's check of the wave; an override needs them too.
        if (await MissingApprovalsAsync(wave, ct) is { Count: > 0 } missing)
            throw new WaveNotApprovedException(id, missing);
        // The start gate: environments not prepared and ready are violations an override reason may waive.
        var gate = preparation is null ? [] : await preparation.GateViolationsAsync(wave, ct);
        await EnforcePolicyAsync(wave, clock.GetUtcNow(), "start", actor, overrideReason, ct, gate: gate);
        // A change freeze overridden just now needs the approvals again: the override is recorded, the start waits
        // for them.
        if (await MissingApprovalsAsync(wave, ct) is { Count: > 0 } again)
            throw new WaveNotApprovedException(id, again);
        await UpdateAsync(wave, next, ct);
        await scheduler.DisarmAsync(id, ct);
        if (reminders is not null)
            await reminders.DisarmAsync(id, null, ct);
        await journal.AppendAsync(
            JournalEvent.Of(new WaveStartedPayload(null, clock.GetUtcNow()), actor) with
            {
                Wave = id,
            },
            ct
        );
        await starter.StartClaimedAsync(next, actor, ct);
        return next;
    }

    /// <summary>`wave start --drop-unready`: takes the environments the start gate would stop out of the wave
    /// (journaled environment-dropped), so the rest can start without an override.</summary>
    public Task<IReadOnlyList<string>> DropUnreadyAsync(string id, string actor, CancellationToken ct = default) =>
        preparation is null ? Task.FromResult<IReadOnlyList<string>>([]) : preparation.DropUnreadyAsync(id, actor, ct);

    /// <summary>No new cutover of the wave starts; the ones in flight finish or roll back.</summary>
    public async Task<Wave> StopAsync(string id, string actor, string reason, CancellationToken ct = default)
    {
        var wave = await store.GetAsync(id, ct);
        if (wave.State == WaveState.Stopped)
            return wave;
        var next = wave.Stop(reason);
        await UpdateAsync(wave, next, ct);
        await journal.AppendAsync(JournalEvent.Of(new WaveStoppedPayload(reason), actor) with { Wave = id }, ct);
        return next;
    }

    public async Task<Wave> ResumeAsync(string id, string actor, CancellationToken ct = default)
    {
        var wave = await store.GetAsync(id, ct);
        if (wave.State == WaveState.Running)
            return wave;
        var next = wave.Resume();
        await UpdateAsync(wave, next, ct);
        await journal.AppendAsync(JournalEvent.Of(new WaveResumedPayload(), actor) with { Wave = id }, ct);
        await starter.StartClaimedAsync(next, actor, ct);
        return next;
    }

    /// <summary>Records that each environment's customer of the wave was notified now (after rendering or sending the
    /// notice).</summary>
    public Task RecordNoticeAsync(
        string waveId,
        CutoverEnvironment environment,
        string actor,
        string? file,
        bool sent,
        CancellationToken ct = default
    ) => RecordNoticeAsync(waveId, environment, actor, file, sent, null, ct);

    /// <param name="notifiedAt">When the notice was given (the relay accepted it); null: now.</param>
    public async Task RecordNoticeAsync(
        string waveId,
        CutoverEnvironment environment,
        string actor,
        string? file,
        bool sent,
        DateTimeOffset? notifiedAt,
        CancellationToken ct
    )
    {
        var at = notifiedAt ?? clock.GetUtcNow();
        await store.RecordNoticeAsync(
            new NoticeRecord(waveId, environment.Id, environment.Customer, at, actor, file, sent),
            ct
        );
        await journal.AppendAsync(
            JournalEvent.Of(new CustomerNotifiedPayload(environment.Customer, at, file, sent), actor) with
            {
                Wave = waveId,
                Environment = environment.Id,
            },
            ct
        );
    }

    async Task UpdateAsync(Wave expected, Wave next, CancellationToken ct)
    {
        if (!await store.TryUpdateAsync(expected, next, clock.GetUtcNow(), ct))
        {
            var now = await store.GetAsync(expected.Id, ct);
            throw new WaveStateException(
                $"Wave '{expected.Id}' changed meanwhile (now {WaveNames.Of(now.State)}); read it again and retry."
            );
        }
    }
}
