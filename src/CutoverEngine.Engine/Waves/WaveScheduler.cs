using System.Collections.Concurrent;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.Engine.Waves;

/// <summary>Runs a wave whose start was claimed (its row is already 'running').</summary>
public interface IWaveStarter
{
    Task StartClaimedAsync(Wave wave, string actor, CancellationToken ct = default);
}

/// <summary>
/// Starts scheduled waves at their time, exactly once. The durable trigger is the wave row (state 'scheduled',
/// scheduled_for): at start-up every scheduled row is re-read and either started (due, within the grace period),
/// marked missed (due longer ago: reported, never run silently late), or armed with one one-shot
/// <see cref="TimeProvider"/> timer. There is no polling loop; when a timer fires, the atomic claim in
/// <see cref="WaveStore.TryClaimAsync"/> decides whether this firing is the one that starts the wave, so a stale
/// timer (rescheduled, cancelled) or a second host does nothing.
/// </summary>
public sealed class WaveScheduler : IAsyncDisposable
{
    public const string Actor = "scheduler";

    // TimeProvider timers accept at most ~49 days; a longer wait is armed in legs (the timer re-arms when it fires early).
    static readonly TimeSpan MaxLeg = TimeSpan.FromDays(7);

    readonly WaveStore _store;
    readonly ICutoverJournal _journal;
    readonly TimeProvider _clock;
    readonly ScheduleOptions _options;
    readonly IWaveStarter _starter;
    readonly ILogger _logger;
    readonly ConcurrentDictionary<string, (DateTimeOffset At, ITimer Timer)> _armed = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<Task, byte> _firing = new();
    volatile bool _disposed;

    public WaveScheduler(WaveStore store, ICutoverJournal journal, TimeProvider clock, ScheduleOptions options, IWaveStarter starter, ILogger<WaveScheduler>? logger = null)
    {
        _store = store;
        _journal = journal;
        _clock = clock;
        _options = options;
        _starter = starter;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The waves armed now, with their due time (for status and tests).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Armed => _armed.ToDictionary(p => p.Key, p => p.Value.At, StringComparer.Ordinal);

    /// <summary>Reads every scheduled wave and starts, arms or marks it missed. Call once at host start-up.</summary>
    public async Task<IReadOnlyList<(string WaveId, StartupAction Action)>> StartAsync(CancellationToken ct = default)
    {
        var decisions = new List<(string, StartupAction)>();
        foreach (var wave in await _store.ListAsync(WaveState.Scheduled, ct))
        {
            var at = wave.ScheduledFor!.Value;
            var action = ScheduleDecision.Decide(at, _clock.GetUtcNow(), _options.GracePeriod);
            decisions.Add((wave.Id, action));
            switch (action)
            {
                case StartupAction.Wait:
                    Arm(wave.Id, at);
                    break;
                case StartupAction.StartNow:
                    _logger.LogInformation("Wave {Wave} fell due at {At:u} while the host was down; within the grace period {Grace}, starting now", wave.Id, at, _options.GracePeriod);
                    await FireAsync(wave.Id, at, ct);
                    break;
                case StartupAction.Missed:
                    await MarkMissedAsync(wave, ct);
                    break;
            }
        }
        return decisions;
    }

    async Task MarkMissedAsync(Wave wave, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var reason = $"due {wave.ScheduledFor:u}, host not running until {now:u}: more than the grace period {_options.GracePeriod} late";
        var missed = wave.Miss(reason);
        if (!await _store.TryUpdateAsync(wave, missed, now, ct)) return; // someone else moved it meanwhile
        _logger.LogWarning("Wave {Wave} MISSED its schedule: {Reason}. Reschedule it (after notifying customers) or cancel it.", wave.Id, reason);
        await _journal.AppendAsync(new JournalEvent("wave-missed", Actor)
        {
            Wave = wave.Id,
            Payload = new { scheduledFor = wave.ScheduledFor, detectedAt = now, gracePeriod = _options.GracePeriod.ToString() },
        }, ct);
    }

    /// <summary>Arms (or re-arms) the wave's trigger for <paramref name="at"/>; replaces any earlier trigger of the wave.</summary>
    public void Arm(string waveId, DateTimeOffset at)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var due = at - _clock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (due > MaxLeg) due = MaxLeg;
        ITimer? timer = null;
        timer = _clock.CreateTimer(_ => OnTimer(waveId, at, timer!), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_armed.TryRemove(waveId, out var previous)) previous.Timer.Dispose();
        _armed[waveId] = (at, timer);
        timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Forgets the wave's trigger (cancelled, started by hand). Harmless when none is armed.</summary>
    public void Disarm(string waveId)
    {
        if (_armed.TryRemove(waveId, out var previous)) previous.Timer.Dispose();
    }

    void OnTimer(string waveId, DateTimeOffset at, ITimer timer)
    {
        if (_disposed || !_armed.TryGetValue(waveId, out var current) || !ReferenceEquals(current.Timer, timer)) return;
        if (_clock.GetUtcNow() < at)
        {
            Arm(waveId, at); // a long wait armed in legs
            return;
        }
        _armed.TryRemove(new KeyValuePair<string, (DateTimeOffset, ITimer)>(waveId, current));
        timer.Dispose();
        var task = FireAsync(waveId, at, CancellationToken.None);
        _firing.TryAdd(task, 0);
        _ = task.ContinueWith(t => _firing.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Claims and starts the wave if it is still scheduled for <paramref name="at"/>; returns whether this call started it.</summary>
    public async Task<bool> FireAsync(string waveId, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            var now = _clock.GetUtcNow();
            if (!await _store.TryClaimAsync(waveId, at, now, ct))
            {
                _logger.LogDebug("Wave {Wave}: trigger for {At:u} found the wave no longer scheduled for that time; nothing to do", waveId, at);
                // Rescheduled by another process (CLI) since this host armed it: follow the row, the durable trigger.
                if (await _store.FindAsync(waveId, ct) is { State: WaveState.Scheduled, ScheduledFor: { } moved } && !_armed.ContainsKey(waveId))
                    Arm(waveId, moved);
                return false;
            }
            await _journal.AppendAsync(new JournalEvent("wave-started", Actor) { Wave = waveId, Payload = new { scheduledFor = at, startedAt = now } }, ct);
            var wave = await _store.GetAsync(waveId, ct);
            await _starter.StartClaimedAsync(wave, Actor, ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Wave {Wave}: starting the scheduled run failed", waveId);
            return false;
        }
    }

    /// <summary>Waits for trigger callbacks that are running (tests, shutdown).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_firing.Keys);

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var id in _armed.Keys) Disarm(id);
        await WhenIdleAsync();
    }
}
