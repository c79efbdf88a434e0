using System.Collections.Concurrent;
using CutoverEngine.Agent.Configuration;
using CutoverEngine.Agent.Drivers;

namespace CutoverEngine.Agent.Leases;

/// <summary>
/// The pause lease, held beside the MTA. A pause is written to the state file before the MTA is touched and before
/// the caller is answered, and a timer resumes the MTA when the lease lapses unless renewed or resumed first; after a
/// restart the timers are re-armed from the file, so the lapse instant survives kill -9. Every call is idempotent:
/// pausing a paused environment renews its lease and keeps its first pause instant, resuming a running one is a
/// no-op that says so, and a pause's request id is applied once only.
/// </summary>
public sealed class SendingPauses : IAsyncDisposable
{
    public const int PausesKept = 20,
        RequestIdsKept = 200;
    public const string ResumedByApi = "api",
        ResumedByLeaseExpiry = "lease-expiry",
        PauseFailed = "pause-failed";

    readonly AgentConfig _config;
    readonly IReadOnlyDictionary<string, IMtaDriver> _drivers;
    readonly TimeProvider _clock;
    readonly AgentLog _log;
    readonly StateFile _file;
    readonly ConcurrentDictionary<string, EnvironmentState> _states = new(StringComparer.Ordinal);
    readonly Dictionary<string, SemaphoreSlim> _locks;
    readonly ConcurrentDictionary<string, ITimer> _timers = new(StringComparer.Ordinal);
    readonly CancellationTokenSource _stopping = new();

    public SendingPauses(
        AgentConfig config,
        IReadOnlyDictionary<string, IMtaDriver> drivers,
        TimeProvider clock,
        AgentLog log
    )
    {
        _config = config;
        _drivers = drivers;
        _clock = clock;
        _log = log;
        _file = new StateFile(config.StateDirectory);
        _locks = config.Environments.Keys.ToDictionary(k => k, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);
    }

    public string StateFilePath => _file.Path;

    public IEnumerable<string> EnvironmentIds => _config.Environments.Keys.Order(StringComparer.Ordinal);

    public bool Knows(string environmentId) => _config.Environments.ContainsKey(environmentId);

    /// <summary>Loads the state file and re-arms every running lease; a lease that lapsed while the agent was down
    /// resumes now.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var saved = _file.Load();
        foreach (var id in _config.Environments.Keys)
            _states[id] = saved.Environments.GetValueOrDefault(id) ?? new EnvironmentState { EnvironmentId = id };
        foreach (
            var forgotten in saved.Environments.Keys.Where(k =>
                !_config.Environments.ContainsKey(k) && saved.Environments[k].Paused
            )
        )
            _log.Write(
                "state-for-unconfigured-environment",
                new
                {
                    environmentId = forgotten,
                    note = "paused in the state file but not configured; check its MTA by hand",
                }
            );
        foreach (var state in _states.Values.Where(s => s.Paused))
        {
            _log.Write(
                "lease-restored",
                new
                {
                    environmentId = state.EnvironmentId,
                    state.PausedAt,
                    state.LeaseExpiresAt,
                }
            );
            if (state.LeaseExpiresAt <= _clock.GetUtcNow())
                await LapseAsync(state.EnvironmentId, ct);
            else
                Arm(state.EnvironmentId, state.LeaseExpiresAt!.Value);
        }
    }

    public async Task<AgentStatus> PauseAsync(
        string id,
        TimeSpan lease,
        string? reason,
        string? requestId,
        CancellationToken ct
    )
    {
        CheckLease(lease);
        return await UnderLockAsync(
            id,
            async () =>
            {
                var state = _states[id];
                var now = _clock.GetUtcNow();
                if (
                    requestId is not null
                    && state.AppliedRequestIds.Contains(requestId)
                    && !(state.Paused && state.RequestId == requestId)
                )
                {
                    _log.Write("pause-request-already-applied", new { environmentId = id, requestId });
                    return await StatusCoreAsync(id, "already-applied", ct);
                }
                if (state.Paused)
                {
                    await RenewCoreAsync(id, state, lease, now, ct);
                    return await StatusCoreAsync(id, "already-paused", ct);
                }

                var driver = _drivers[id];
                var before = await ReadMtaAsync(driver, ct);
                if (before.Error is not null)
                    throw new AgentRequestException(
                        502,
                        "MtaUnreachable",
                        $"{id}: {driver.Name} could not be read before pausing: {before.Error}; nothing was changed"
                    );
                if (before.Status!.ForeignPause is { } foreign)
                    throw new AgentRequestException(409, "ForeignPause", $"{id}: {foreign}");

                var record = new AgentPauseRecord
                {
                    PausedAt = now,
                    LeaseExpiresAt = now + lease,
                    Reason = reason,
                    RequestId = requestId,
                    QueueDepthAtPause = before.Status.QueueDepth,
                };
                var paused = state with
                {
                    Paused = true,
                    PausedAt = now,
                    LeaseExpiresAt = now + lease,
                    Reason = reason,
                    RequestId = requestId,
                    LeaseRenewals = 0,
                    Pauses = Keep(state.Pauses, record, PausesKept),
                    AppliedRequestIds = requestId is null
                        ? state.AppliedRequestIds
                        : Keep(state.AppliedRequestIds, requestId, RequestIdsKept),
                };
                // The lease is on disk before the MTA stops: if the agent dies right after, the restart still resumes
                // it.
                await SaveAsync(id, paused, ct);
                Arm(id, now + lease);
                try
                {
                    await driver.PauseAsync(lease, reason ?? "", ct);
                }
                catch (Exception e) when (e is MtaDriverException or ForeignPauseException)
                {
                    await UndoFailedPauseAsync(id, state, record, e, ct);
                    throw new AgentRequestException(
                        502,
                        "MtaRefused",
                        $"{id}: {driver.Name} refused the pause: {e.Message}; the pause was undone"
                    );
                }
                // Sending stopped when the MTA took the pause, not when the request arrived (its first read and the
                // state file took seconds under load): that instant is the sending side's downtime start, which the
                // engine compares with its own. The lease still counts from the request, the earlier of the two.
                var stopped = _clock.GetUtcNow();
                await SaveAsync(
                    id,
                    _states[id] with
                    {
                        PausedAt = stopped,
                        Pauses = ReplaceLast(_states[id].Pauses, p => p with { PausedAt = stopped }),
                    },
                    ct
                );
                _log.Write(
                    "paused",
                    new
                    {
                        environmentId = id,
                        requestId,
                        reason,
                        leaseExpiresAt = now + lease,
                        queueDepth = before.Status.QueueDepth,
                    }
                );
                return await StatusCoreAsync(id, "paused", ct);
            },
            ct
        );
    }

    public async Task<AgentStatus> RenewAsync(string id, TimeSpan lease, CancellationToken ct)
    {
        CheckLease(lease);
        return await UnderLockAsync(
            id,
            async () =>
            {
                var state = _states[id];
                if (!state.Paused)
                    throw new AgentRequestException(
                        409,
                        "NotPaused",
                        $"{id} is not paused{(LastResume(state) is { } r ? $" ({r})" : "")}; a lease can only be renewed while paused"
                    );
                await RenewCoreAsync(id, state, lease, _clock.GetUtcNow(), ct);
                return await StatusCoreAsync(id, "lease-renewed", ct);
            },
            ct
        );
    }

    public async Task<AgentStatus> ResumeAsync(string id, string? reason, CancellationToken ct) =>
        await UnderLockAsync(
            id,
            async () =>
            {
                var state = _states[id];
                if (!state.Paused)
                {
                    _log.Write("resume-when-running", new { environmentId = id, reason });
                    return await StatusCoreAsync(id, "already-running", ct);
                }
                await ResumeCoreAsync(id, state, ResumedByApi, ct);
                return await StatusCoreAsync(id, "resumed", ct);
            },
            ct
        );

    /// <summary>
    /// A read: no lock, so a caller polling status never delays a lapse or a resume waiting for the lock (each
    /// read runs MTA commands). The agent's part is one consistent snapshot; the MTA's part is read after it.
    /// </summary>
    public async Task<AgentStatus> StatusAsync(string id, CancellationToken ct)
    {
        if (!_locks.ContainsKey(id))
            throw new AgentRequestException(404, "UnknownEnvironment", $"this agent controls no environment '{id}'");
        return await StatusCoreAsync(id, null, ct);
    }

    /// <summary>For <c>cutover agent check</c>: reads one MTA's state without changing anything.</summary>
    public async Task<(MtaStatus? Status, string? Error)> CheckAsync(string id, CancellationToken ct) =>
        await ReadMtaAsync(_drivers[id], ct);

    async Task RenewCoreAsync(
        string id,
        EnvironmentState state,
        TimeSpan lease,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var expires = now + lease;
        var renewed = state with
        {
            LeaseExpiresAt = expires,
            LeaseRenewals = state.LeaseRenewals + 1,
            Pauses = ReplaceLast(
                state.Pauses,
                p => p with { LeaseExpiresAt = expires, LeaseRenewals = p.LeaseRenewals + 1 }
            ),
        };
        await SaveAsync(id, renewed, ct);
        Arm(id, expires);
        // KumoMTA's own suspension carries the lease too; the others treat a repeated pause as a no-op.
        try
        {
            await _drivers[id].PauseAsync(lease, state.Reason ?? "", ct);
        }
        catch (Exception e) when (e is MtaDriverException or ForeignPauseException)
        {
            await RecordErrorAsync(id, $"renewal: {e.Message}", ct);
            throw new AgentRequestException(
                502,
                "MtaRefused",
                $"{id}: the lease was renewed here but {_drivers[id].Name} said: {e.Message}"
            );
        }
        _log.Write("lease-renewed", new { environmentId = id, leaseExpiresAt = expires });
    }

    async Task ResumeCoreAsync(string id, EnvironmentState state, string by, CancellationToken ct)
    {
        var driver = _drivers[id];
        var started = _clock.GetUtcNow();
        try
        {
            await driver.ResumeAsync(ct);
        }
        catch (Exception e) when (e is MtaDriverException or ForeignPauseException)
        {
            await RecordErrorAsync(id, $"resume ({by}): {e.Message}", ct);
            _log.Write(
                "resume-failed",
                new
                {
                    environmentId = id,
                    by,
                    error = e.Message,
                }
            );
            throw new AgentRequestException(
                e is ForeignPauseException ? 409 : 502,
                e is ForeignPauseException ? "ForeignPause" : "MtaRefused",
                $"{id}: {driver.Name} refused the resume: {e.Message}; still paused, the lease still runs"
            );
        }
        var now = _clock.GetUtcNow();
        // Running is recorded as soon as the MTA has resumed; the flush of held mail comes after, so a lapse completes
        // within the lease's bound. The queue depth at resume is not read here (two more MTA commands, seconds under
        // load, before the caller's answer): the status in the answer has it.
        var resumed = state with
        {
            Paused = false,
            LeaseExpiresAt = null,
            LastError = null,
            LastErrorAt = null,
            Pauses = ReplaceLast(
                state.Pauses,
                p => p with { ResumeStartedAt = started, ResumedAt = now, ResumedBy = by }
            ),
        };
        await SaveAsync(id, resumed, ct);
        Disarm(id);
        try
        {
            await driver.DeliverHeldAsync(ct);
        }
        catch (MtaDriverException e)
        {
            // Resumed all the same: the held mail goes at the MTA's next queue scan instead of now.
            _log.Write("deliver-held-failed", new { environmentId = id, error = e.Message });
        }
        _log.Write(
            by == ResumedByLeaseExpiry ? "resumed by lease-expiry" : "resumed",
            new
            {
                environmentId = id,
                by,
                pausedAt = state.PausedAt,
                resumedAt = now,
            }
        );
    }

    async Task UndoFailedPauseAsync(
        string id,
        EnvironmentState before,
        AgentPauseRecord record,
        Exception cause,
        CancellationToken ct
    )
    {
        _log.Write("pause-failed", new { environmentId = id, error = cause.Message });
        if (cause is not ForeignPauseException)
        {
            try
            {
                await _drivers[id].ResumeAsync(ct);
                await _drivers[id].DeliverHeldAsync(ct);
            }
            catch (Exception e) when (e is MtaDriverException or ForeignPauseException)
            {
                _log.Write("pause-undo-failed", new { environmentId = id, error = e.Message });
            }
        }
        var now = _clock.GetUtcNow();
        await SaveAsync(
            id,
            before with
            {
                Pauses = Keep(before.Pauses, record with { ResumedAt = now, ResumedBy = PauseFailed }, PausesKept),
                AppliedRequestIds = before.AppliedRequestIds,
                LastError = cause.Message,
                LastErrorAt = now,
            },
            ct
        );
        Disarm(id);
    }

    /// <summary>The lease ran out: resume unless renewed meanwhile; if the MTA refuses, try again after a
    /// while.</summary>
    async Task LapseAsync(string id, CancellationToken ct)
    {
        var state = _states[id];
        if (!state.Paused)
            return;
        if (state.LeaseExpiresAt is { } due && due > _clock.GetUtcNow())
        {
            // A timer that fired a little early (or a renewal that raced it): wait for the real instant.
            if (!_timers.ContainsKey(id) || due - _clock.GetUtcNow() < TimeSpan.FromSeconds(1))
                Arm(id, due);
            return;
        }
        _log.Write("lease-expired", new { environmentId = id, state.LeaseExpiresAt });
        try
        {
            await ResumeCoreAsync(id, state, ResumedByLeaseExpiry, ct);
        }
        catch (AgentRequestException)
        {
            Arm(id, _clock.GetUtcNow() + _config.ExpiryRetry);
        }
    }

    void Arm(string id, DateTimeOffset at)
    {
        var due = at - _clock.GetUtcNow();
        if (due < TimeSpan.Zero)
            due = TimeSpan.Zero;
        var timer = _clock.CreateTimer(_ => _ = OnTimerAsync(id), null, due, Timeout.InfiniteTimeSpan);
        if (_timers.TryGetValue(id, out var old))
            old.Dispose();
        _timers[id] = timer;
    }

    void Disarm(string id)
    {
        if (_timers.TryRemove(id, out var timer))
            timer.Dispose();
    }

    async Task OnTimerAsync(string id)
    {
        try
        {
            await UnderLockAsync(
                id,
                async () =>
                {
                    await LapseAsync(id, _stopping.Token);
                    return 0;
                },
                _stopping.Token
            );
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
        catch (Exception e)
        {
            _log.Write("lease-timer-failed", new { environmentId = id, error = e.Message });
            if (!_stopping.IsCancellationRequested)
                Arm(id, _clock.GetUtcNow() + _config.ExpiryRetry);
        }
    }

    async Task<AgentStatus> StatusCoreAsync(string id, string? outcome, CancellationToken ct)
    {
        var state = _states[id];
        var mta = await ReadMtaAsync(_drivers[id], ct);
        return new AgentStatus
        {
            Outcome = outcome,
            EnvironmentId = id,
            Driver = _drivers[id].Name,
            Paused = state.Paused,
            PausedAt = state.PausedAt,
            LeaseExpiresAt = state.Paused ? state.LeaseExpiresAt : null,
            LeaseRenewals = state.LeaseRenewals,
            QueueDepth = mta.Status?.QueueDepth ?? 0,
            Deferred = mta.Status?.Deferred ?? 0,
            MtaPaused = mta.Status?.Paused,
            Counters = mta.Status?.Counters ?? new Dictionary<string, long>(),
            ForeignPause = mta.Status?.ForeignPause,
            MtaError = mta.Error,
            MtaDetail = mta.Status?.Detail,
            LastError = state.LastError,
            LastErrorAt = state.LastErrorAt,
            LastResume = LastResume(state),
            Pauses = state.Pauses,
            Now = _clock.GetUtcNow(),
        };
    }

    static string? LastResume(EnvironmentState state) =>
        (state.Pauses.Count > 0 ? state.Pauses[^1] : null) is { ResumedBy: { } by } ? $"resumed by {by}" : null;

    static async Task<(MtaStatus? Status, string? Error)> ReadMtaAsync(IMtaDriver driver, CancellationToken ct)
    {
        try
        {
            return (await driver.StatusAsync(ct), null);
        }
        catch (MtaDriverException e)
        {
            return (null, e.Message);
        }
    }

    async Task RecordErrorAsync(string id, string error, CancellationToken ct) =>
        await SaveAsync(id, _states[id] with { LastError = error, LastErrorAt = _clock.GetUtcNow() }, ct);

    async Task SaveAsync(string id, EnvironmentState state, CancellationToken ct)
    {
        _states[id] = state;
        var snapshot = new AgentState();
        foreach (var (k, v) in _states)
            snapshot.Environments[k] = v;
        await _file.SaveAsync(snapshot, ct);
    }

    void CheckLease(TimeSpan lease)
    {
        if (lease < _config.MinLease || lease > _config.MaxLease)
            throw new AgentRequestException(
                400,
                "LeaseOutOfBounds",
                $"leaseSeconds {lease.TotalSeconds:0.###} is outside {_config.MinLease.TotalSeconds:0}..{_config.MaxLease.TotalSeconds:0} s; nothing was changed",
                "leaseSeconds"
            );
    }

    async Task<T> UnderLockAsync<T>(string id, Func<Task<T>> action, CancellationToken ct)
    {
        if (!_locks.TryGetValue(id, out var gate))
            throw new AgentRequestException(404, "UnknownEnvironment", $"this agent controls no environment '{id}'");
        await gate.WaitAsync(ct);
        try
        {
            return await action();
        }
        finally
        {
            gate.Release();
        }
    }

    static IReadOnlyList<T> Keep<T>(IReadOnlyList<T> list, T item, int max) =>
        [.. list.Skip(Math.Max(0, list.Count + 1 - max)), item];

    static IReadOnlyList<AgentPauseRecord> ReplaceLast(
        IReadOnlyList<AgentPauseRecord> list,
        Func<AgentPauseRecord, AgentPauseRecord> change
    ) => list.Count == 0 ? list : [.. list.Take(list.Count - 1), change(list[^1])];

    public ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        foreach (var t in _timers.Values)
            t.Dispose();
        _timers.Clear();
        return ValueTask.CompletedTask;
    }
}
