using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowCore.Interface;

namespace CutoverEngine.Engine.Waves;

/// <summary>A sleeping wave-start workflow: which wave, for which instant, and when WorkflowCore will wake
/// it.</summary>
public sealed record WaveTrigger(
    string InstanceId,
    string WaveId,
    DateTimeOffset ScheduledFor,
    DateTimeOffset? WakesAt
);

/// <summary>What a trigger did when it fell due.</summary>
public enum DueOutcome
{
    /// <summary>This trigger claimed the wave and started it.</summary>
    Started,

    /// <summary>More than the grace period late (the host was down): marked missed and reported.</summary>
    Missed,

    /// <summary>The wave is no longer scheduled for this instant (rescheduled, cancelled, started): nothing
    /// done.</summary>
    Stale,

    /// <summary>Due and within the grace period but not admitted (approvals missing): journaled `wave-blocked`;
    /// the trigger tries again after <see cref="ScheduleOptions.BlockedRetryInterval"/>.</summary>
    Blocked,
}

/// <summary>
/// Starts scheduled waves at their time, exactly once, on WorkflowCore's durable delays: scheduling a wave starts a
/// "wave-start" workflow (<see cref="WaveStartWorkflow"/>) that sleeps in WorkflowCore's store until the instant;
/// WorkflowCore's runnable poller wakes it in whichever host runs then, including one started after a restart or
/// a wave scheduled by another process (the CLI). The wave row stays the source of truth: when the trigger falls
/// due, <see cref="OnDueAsync"/> applies the grace decision and starts only through the atomic claim
/// (<see cref="WaveStore.TryClaimAsync"/>), so a stale trigger (rescheduled, cancelled) or a second one does
/// nothing. Reschedule and cancel also terminate the stale trigger.
/// </summary>
public sealed class WaveScheduler
{
    public const string Actor = "scheduler";

    readonly WaveStore _store;
    readonly ICutoverJournal _journal;
    readonly TimeProvider _clock;
    readonly ScheduleOptions _options;
    readonly IWaveStarter _starter;
    readonly IWorkflowController _workflows;
    readonly SleepingWorkflows _sleeping;
    readonly ILogger _logger;
    readonly Preparation.WavePreparation? _preparation;
    readonly WaveAdmission? _admission;

    public WaveScheduler(
        WaveStore store,
        ICutoverJournal journal,
        TimeProvider clock,
        ScheduleOptions options,
        IWaveStarter starter,
        IWorkflowController workflows,
        IPersistenceProvider persistence,
        ILogger<WaveScheduler>? logger = null,
        Preparation.WavePreparation? preparation = null,
        WaveAdmission? admission = null
    )
    {
        _admission = admission;
        _preparation = preparation;
        _store = store;
        _journal = journal;
        _clock = clock;
        _options = options;
        _starter = starter;
        _workflows = workflows;
        _sleeping = new SleepingWorkflows(workflows, persistence);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The sleeping (runnable) wave-start workflows, of one wave or of all.</summary>
    public async Task<IReadOnlyList<WaveTrigger>> TriggersAsync(
        string? waveId = null,
        CancellationToken ct = default
    ) =>
        [
            .. (await _sleeping.ListAsync<WaveStartData>(WaveStartWorkflow.DefinitionId, ct))
                .Where(p => waveId is null || p.Data.WaveId == waveId)
                .Select(p => new WaveTrigger(
                    p.Instance.Id,
                    p.Data.WaveId,
                    p.Data.ScheduledFor,
                    p.Instance.NextExecution is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null
                )),
        ];

    /// <summary>
    /// Makes sure exactly one trigger sleeps for the wave's start at <paramref name="at"/>: terminates triggers of
    /// the wave for another instant and starts one unless it exists. Safe to run twice.
    /// </summary>
    public async Task<string> ArmAsync(string waveId, DateTimeOffset at, CancellationToken ct = default)
    {
        at = at.ToUniversalTime();
        string? kept = null;
        foreach (var t in await TriggersAsync(waveId, ct))
        {
            if (t.ScheduledFor == at && kept is null)
            {
                kept = t.InstanceId;
                continue;
            }
            await TerminateAsync(t);
        }
        if (kept is not null)
            return kept;
        var id = await _workflows.StartWorkflow(
            WaveStartWorkflow.DefinitionId,
            WaveStartWorkflow.DefinitionVersion,
            new WaveStartData { WaveId = waveId, ScheduledFor = at },
            $"{waveId}@{at:O}"
        );
        _logger.LogInformation("Wave {Wave}: start at {At:u} armed as wave-start workflow {Instance}", waveId, at, id);
        return id;
    }

    /// <summary>Terminates every trigger of the wave (cancelled, started by hand). Harmless when there is
    /// none.</summary>
    public async Task DisarmAsync(string waveId, CancellationToken ct = default)
    {
        foreach (var t in await TriggersAsync(waveId, ct))
            await TerminateAsync(t);
    }

    async Task TerminateAsync(WaveTrigger t)
    {
        if (!await _sleeping.TerminateAsync(t.InstanceId))
        {
            // Still safe: a trigger that survives (e.g. running in another host just now) claims nothing, because
            // OnDueAsync finds its instant stale.
            _logger.LogWarning(
                "Wave {Wave}: trigger {Instance} for {At:u} could not be terminated within {Seconds} s",
                t.WaveId,
                t.InstanceId,
                t.ScheduledFor,
                SleepingWorkflows.TerminateLockWait.TotalSeconds
            );
            return;
        }
        _logger.LogInformation(
            "Wave {Wave}: trigger {Instance} for {At:u} terminated",
            t.WaveId,
            t.InstanceId,
            t.ScheduledFor
        );
    }

    /// <summary>
    /// At host start-up: every scheduled wave gets its trigger (rows scheduled by an older engine, or whose trigger
    /// was lost between the row update and the workflow start), and triggers of waves no longer scheduled for their
    /// instant are terminated. A wave that fell due while the host was down is decided by its trigger as soon as
    /// WorkflowCore's poller wakes it: started within the grace period, else marked missed.
    /// </summary>
    public async Task<IReadOnlyList<(string WaveId, DateTimeOffset At)>> EnsureArmedAsync(
        CancellationToken ct = default
    )
    {
        var scheduled = await _store.ListAsync(WaveState.Scheduled, ct);
        var wanted = scheduled.ToDictionary(w => w.Id, w => w.ScheduledFor!.Value, StringComparer.Ordinal);
        foreach (var t in await TriggersAsync(null, ct))
            if (!wanted.TryGetValue(t.WaveId, out var at) || at != t.ScheduledFor)
                await TerminateAsync(t);
        var armed = new List<(string, DateTimeOffset)>();
        foreach (var (id, at) in wanted)
        {
            await ArmAsync(id, at, ct);
            armed.Add((id, at));
        }
        return armed;
    }

    /// <summary>
    /// A trigger fell due: decides with <see cref="ScheduleDecision"/> against the wave row. Only a row still
    /// 'scheduled' for <paramref name="at"/> is acted on; it is started through the atomic claim, or marked missed
    /// (journaled `wave-missed`) when more than the grace period late.
    /// </summary>
    public async Task<DueOutcome> OnDueAsync(string waveId, DateTimeOffset at, CancellationToken ct = default)
    {
        var wave = await _store.FindAsync(waveId, ct);
        if (wave is not { State: WaveState.Scheduled } || wave.ScheduledFor != at)
        {
            _logger.LogInformation(
                "Wave {Wave}: trigger for {At:u} found the wave {State} for {Now:u}; nothing to do",
                waveId,
                at,
                wave is null ? "gone" : WaveNames.Of(wave.State),
                wave?.ScheduledFor
            );
            return DueOutcome.Stale;
        }
        var now = _clock.GetUtcNow();
        var missing = _admission is null ? [] : await _admission.MissingAsync(wave, ct);
        if (ScheduleDecision.Decide(at, now, _options.GracePeriod) == StartupAction.Missed)
            return await MarkMissedAsync(wave, now, missing, ct) ? DueOutcome.Missed : DueOutcome.Stale;
        if (missing.Count > 0)
        {
            await JournalBlockedAsync(wave, at, now, missing, ct);
            return DueOutcome.Blocked;
        }
        if (now - at > TimeSpan.FromSeconds(1))
            _logger.LogInformation(
                "Wave {Wave} fell due at {At:u}, {Late} ago (host down or busy); within the grace period {Grace}, starting now",
                waveId,
                at,
                now - at,
                _options.GracePeriod
            );
        return await FireAsync(waveId, at, ct) ? DueOutcome.Started : DueOutcome.Stale;
    }

    /// <summary>
    /// A wave claimed by a process that runs no waves (`cutover wave start|resume`) was handed over through the
    /// store (<see cref="HandOverStarter"/>): runs it here if it is still running; a wave stopped, completed or
    /// cancelled meanwhile is left alone.
    /// </summary>
    public async Task<DueOutcome> OnHandedOverAsync(string waveId, string actor, CancellationToken ct = default)
    {
        var wave = await _store.FindAsync(waveId, ct);
        if (wave is not { State: WaveState.Running })
        {
            _logger.LogInformation(
                "Wave {Wave}: handed over by {Actor} but now {State}; nothing to do",
                waveId,
                actor,
                wave is null ? "gone" : WaveNames.Of(wave.State)
            );
            return DueOutcome.Stale;
        }
        _logger.LogInformation("Wave {Wave}: started by {Actor} from another process; running it here", waveId, actor);
        await _starter.StartClaimedAsync(wave, actor, ct);
        return DueOutcome.Started;
    }

    /// <summary>How often a blocked trigger tries again.</summary>
    public TimeSpan BlockedRetryInterval => _options.BlockedRetryInterval;

    /// <summary>
    /// Journals `wave-blocked` the first time the wave is blocked at this scheduled time and whenever what is missing
    /// changes, not on every retry: the journal says why the wave waits, not how often it was asked.
    /// </summary>
    async Task JournalBlockedAsync(
        Wave wave,
        DateTimeOffset at,
        DateTimeOffset now,
        IReadOnlyList<string> missing,
        CancellationToken ct
    )
    {
        var last = (await _journal.ReadAsync(new JournalQuery { Wave = wave.Id }, ct))
            .Where(e => e.Event == WaveBlockedPayload.Event)
            .Select(e => JournalPayload.Parse(e.Payload))
            .Where(p => p.Time("scheduledFor") == at)
            .Select(p => p.Strings("missing"))
            .LastOrDefault();
        if (last is not null && last.SequenceEqual(missing))
            return;
        _logger.LogWarning(
            "Wave {Wave} due {At:u} BLOCKED: {Missing}; trying again every {Retry} within the grace period {Grace}",
            wave.Id,
            at,
            string.Join("; ", missing),
            _options.BlockedRetryInterval,
            _options.GracePeriod
        );
        await _journal.AppendAsync(
            JournalEvent.Of(new WaveBlockedPayload(at, now, missing), Actor) with
            {
                Wave = wave.Id,
            },
            ct
        );
    }

    async Task<bool> MarkMissedAsync(Wave wave, DateTimeOffset now, IReadOnlyList<string> missing, CancellationToken ct)
    {
        var reason =
            missing.Count > 0
                ? $"due {wave.ScheduledFor:u}, still blocked at the end of the grace period {_options.GracePeriod}: {string.Join("; ", missing)}"
                : $"due {wave.ScheduledFor:u}, host not running until {now:u}: more than the grace period {_options.GracePeriod} late";
        if (!await _store.TryUpdateAsync(wave, wave.Miss(reason), now, ct))
            return false; // someone else moved it meanwhile
        _logger.LogWarning(
            "Wave {Wave} MISSED its schedule: {Reason}. Reschedule it (after notifying customers) or cancel it.",
            wave.Id,
            reason
        );
        await _journal.AppendAsync(
            JournalEvent.Of(new WaveMissedPayload(wave.ScheduledFor, now, _options.GracePeriod.ToString()), Actor) with
            {
                Wave = wave.Id,
            },
            ct
        );
        return true;
    }

    /// <summary>Claims and starts the wave if it is still scheduled for <paramref name="at"/>; returns whether this
    /// call started it.</summary>
    public async Task<bool> FireAsync(string waveId, DateTimeOffset at, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        if (
            _preparation is not null
            && await _store.FindAsync(waveId, ct) is { State: WaveState.Scheduled } due
            && due.ScheduledFor == at
        )
        {
            // The start gate: nobody is there to give an override reason, so the wave waits for a person.
            var gate = await _preparation.GateViolationsAsync(due, ct);
            if (gate.Count > 0)
            {
                var reason =
                    $"not started at {at:u}: {gate.Select(v => v.EnvironmentId).Distinct().Count()} environment(s) not prepared and ready";
                if (await _store.TryUpdateAsync(due, due.Miss(reason), now, ct))
                {
                    _logger.LogWarning("Wave {Wave} NOT STARTED: {Reason}", waveId, reason);
                    await _journal.AppendAsync(
                        JournalEvent.Of(new WaveStartRefusedPayload(at, gate), Actor) with
                        {
                            Wave = waveId,
                        },
                        ct
                    );
                }
                return false;
            }
        }
        if (!await _store.TryClaimAsync(waveId, at, now, ct))
        {
            _logger.LogDebug(
                "Wave {Wave}: trigger for {At:u} found the wave no longer scheduled for that time; nothing to do",
                waveId,
                at
            );
            return false;
        }
        await _journal.AppendAsync(JournalEvent.Of(new WaveStartedPayload(at, now), Actor) with { Wave = waveId }, ct);
        var wave = await _store.GetAsync(waveId, ct);
        await _starter.StartClaimedAsync(wave, Actor, ct);
        return true;
    }
}
