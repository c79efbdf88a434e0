using System.Threading.RateLimiting;

namespace CutoverEngine.Aws.Resilience;

/// <summary>
/// A token bucket (burst <c>B</c>, refill <c>R</c> per second) that paces rather than refuses: callers beyond the
/// bucket
/// wait in arrival order and are let through one by one as it refills. Permits are granted by the clock at the moment
/// they are used (a virtual schedule, GCRA), so a process that stalls (GC, CPU contention) lets through at most the
/// burst when it resumes, never a backlog. System.Threading.RateLimiting's timer-driven bucket was not used: it skips
/// refills when its timer fires a little early, which starves callers to a fraction of the quota.
/// Time comes from <see cref="TimeProvider"/>.
/// Callers inside <see cref="AwsCallPriority.Urgent"/> (calls made while a customer's sending is paused) wait in a
/// line of their own that is served first: a permit goes to a paused customer before it goes to a read for a cutover
/// that has not paused yet. Within each line, arrival order holds.
/// </summary>
public sealed class PacingRateLimiter : RateLimiter
{
    private readonly TimeProvider _time;
    private readonly long _interval; // timestamp ticks per permit at the sustained rate
    private readonly long _burstTolerance; // how far ahead of the sustained schedule a burst may run
    private readonly int _queueLimit;
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _queue = new();
    private readonly Queue<Waiter> _urgent = new();
    private readonly ITimer _pump;
    private long _theoreticalArrival; // the instant the bucket would be full again had no permit been granted since
    private int _waiting;
    private long _granted;
    private long _refused;
    private bool _disposed;

    public PacingRateLimiter(double permitsPerSecond, int burst, int queueLimit, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _time = time ?? TimeProvider.System;
        _interval = Math.Max(1, (long)Math.Round(_time.TimestampFrequency / permitsPerSecond));
        _burstTolerance = _interval * (burst - 1);
        _queueLimit = queueLimit;
        _theoreticalArrival = _time.GetTimestamp();
        _pump = _time.CreateTimer(_ => Pump(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
                return _waiting == 0 && _time.GetTimestamp() > _theoreticalArrival
                    ? _time.GetElapsedTime(_theoreticalArrival)
                    : null;
        }
    }

    /// <summary>
    /// How long an urgent caller asking now would wait for a permit: until the bucket holds one, plus one interval per
    /// urgent caller already waiting. Zero when a permit is free. (Normal callers never delay an urgent one.)
    /// </summary>
    public TimeSpan UrgentWait
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                var free =
                    Math.Max(now, _theoreticalArrival - _burstTolerance) + _interval * _urgent.Count(w => !w.Done);
                return _time.GetElapsedTime(now, free);
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var available = Math.Clamp(
                (now + _burstTolerance - _theoreticalArrival) / _interval + 1,
                0,
                _burstTolerance / _interval + 1
            );
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _waiting > 0 ? 0 : available,
                CurrentQueuedCount = _waiting,
                TotalSuccessfulLeases = _granted,
                TotalFailedLeases = _refused,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (permitCount == 0 || (_waiting == 0 && TryGrant(_time.GetTimestamp(), permitCount)))
            {
                _granted++;
                return Lease.Granted;
            }
            _refused++;
            return Lease.Refused;
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (permitCount == 0 || (_waiting == 0 && TryGrant(_time.GetTimestamp(), permitCount)))
            {
                _granted++;
                return ValueTask.FromResult<RateLimitLease>(Lease.Granted);
            }
            if (_waiting >= _queueLimit)
            {
                _refused++;
                return ValueTask.FromResult<RateLimitLease>(Lease.Refused);
            }
            waiter = new Waiter(permitCount);
            (AwsCallPriority.IsUrgent ? _urgent : _queue).Enqueue(waiter);
            _waiting++;
            if (_waiting == 1)
                SchedulePump(_time.GetTimestamp());
        }
        if (cancellationToken.CanBeCanceled)
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                    ((PacingRateLimiter)((object[])state!)[0]).Cancel((Waiter)((object[])state)[1], token),
                new object[] { this, waiter }
            );
        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_gate)
        {
            if (waiter.Done)
                return;
            waiter.Done = true;
            _waiting--;
        }
        waiter.Completion.TrySetCanceled(token);
    }

    /// <summary>Lets through, in order, every waiter the bucket allows now; then sleeps until the next one is
    /// due.</summary>
    private void Pump()
    {
        var ready = new List<Waiter>();
        lock (_gate)
        {
            if (_disposed)
                return;
            var now = _time.GetTimestamp();
            // The urgent line first; the normal line only gets permits while no urgent caller waits.
            if (Serve(_urgent, now, ready))
                Serve(_queue, now, ready);
            if (_waiting > 0)
                SchedulePump(now);
        }
        foreach (var waiter in ready)
        {
            waiter.Registration.Unregister();
            waiter.Completion.TrySetResult(Lease.Granted);
        }
    }

    /// <summary>Grants waiters of <paramref name="line"/> in order while the bucket allows; true when the line is
    /// empty.</summary>
    private bool Serve(Queue<Waiter> line, long now, List<Waiter> ready)
    {
        while (line.TryPeek(out var head))
        {
            if (head.Done)
            {
                line.Dequeue();
                continue;
            }
            if (!TryGrant(now, head.Permits))
                return false;
            line.Dequeue();
            head.Done = true;
            _waiting--;
            _granted++;
            ready.Add(head);
        }
        return true;
    }

    /// <summary>Grants if the bucket holds the permits at <paramref name="now"/>, advancing the schedule from now, not
    /// from the past.</summary>
    private bool TryGrant(long now, int permits)
    {
        if (now < _theoreticalArrival - _burstTolerance)
            return false;
        _theoreticalArrival = Math.Max(_theoreticalArrival, now) + _interval * permits;
        return true;
    }

    private void SchedulePump(long now)
    {
        var due = _time.GetElapsedTime(now, Math.Max(now, _theoreticalArrival - _burstTolerance));
        _pump.Change(due, Timeout.InfiniteTimeSpan);
    }

    protected override void Dispose(bool disposing)
    {
        List<Waiter> abandoned;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            abandoned = [.. _urgent.Concat(_queue).Where(w => !w.Done)];
            _urgent.Clear();
            _queue.Clear();
            _waiting = 0;
        }
        _pump.Dispose();
        foreach (var waiter in abandoned)
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(PacingRateLimiter)));
        base.Dispose(disposing);
    }

    private sealed class Waiter(int permits)
    {
        public int Permits { get; } = permits;
        public TaskCompletionSource<RateLimitLease> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
        public bool Done { get; set; }
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired { get; } = acquired;
        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
