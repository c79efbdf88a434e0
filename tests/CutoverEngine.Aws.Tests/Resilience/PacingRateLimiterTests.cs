using CutoverEngine.Aws.Resilience;
using CutoverEngine.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Aws.Tests.Resilience;

/// <summary>The pacing limiter on a fake clock: who gets a permit when.</summary>
public sealed class PacingRateLimiterTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Burst_is_granted_at_once_then_one_permit_per_interval()
    {
        using var limiter = new PacingRateLimiter(permitsPerSecond: 5, burst: 3, queueLimit: 100, _clock);

        var leases = Enumerable.Range(0, 5).Select(_ => limiter.AcquireAsync().AsTask()).ToList();

        Assert.Equal(3, leases.Count(l => l.IsCompletedSuccessfully));
        _clock.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(3, leases.Count(l => l.IsCompleted));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await leases[3];
        Assert.False(leases[4].IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        await leases[4];
        Assert.All(await Task.WhenAll(leases), l => Assert.True(l.IsAcquired));
    }

    [Fact]
    public async Task Waiters_are_served_in_arrival_order()
    {
        using var limiter = new PacingRateLimiter(10, 1, 100, _clock);
        var order = new List<int>();
        (await limiter.AcquireAsync()).Dispose();

        var waiters = Enumerable
            .Range(0, 4)
            .Select(i =>
                limiter
                    .AcquireAsync()
                    .AsTask()
                    .ContinueWith(_ =>
                    {
                        lock (order)
                            order.Add(i);
                    })
            )
            .ToList();
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            await waiters[i];
        }

        Assert.Equal([0, 1, 2, 3], order);
    }

    [Fact]
    public async Task Urgent_callers_are_served_before_earlier_normal_callers_and_in_their_own_order()
    {
        using var limiter = new PacingRateLimiter(10, 1, 100, _clock);
        var order = new List<string>();
        (await limiter.AcquireAsync()).Dispose();
        Task Wait(string name, bool urgent)
        {
            using (AwsCallPriority.Urgent(urgent))
                return limiter
                    .AcquireAsync()
                    .AsTask()
                    .ContinueWith(_ =>
                    {
                        lock (order)
                            order.Add(name);
                    });
        }

        var waiters = new[]
        {
            Wait("read-1", false),
            Wait("read-2", false),
            Wait("paused-1", true),
            Wait("paused-2", true),
        };
        // One permit per 100 ms: each step hands out exactly one, and its taker is recorded before the next step.
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            var expected = i + 1;
            await Eventually.TrueAsync(
                () =>
                {
                    lock (order)
                        return order.Count == expected;
                },
                TimeSpan.FromSeconds(10),
                () => $"{expected} permit(s) handed out; taken so far: {string.Join(", ", order)}"
            );
        }
        await Task.WhenAll(waiters);

        Assert.Equal(["paused-1", "paused-2", "read-1", "read-2"], order);
        Assert.False(AwsCallPriority.IsUrgent);
    }

    [Fact]
    public async Task After_a_long_pause_no_more_than_the_burst_goes_at_once()
    {
        using var limiter = new PacingRateLimiter(5, 2, 100, _clock);
        (await limiter.AcquireAsync()).Dispose();
        (await limiter.AcquireAsync()).Dispose();
        var waiters = Enumerable.Range(0, 6).Select(_ => limiter.AcquireAsync().AsTask()).ToList();

        // The process stalls for ten intervals; when it resumes, the backlog must not burst out.
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(2, waiters.Count(w => w.IsCompleted));
    }

    [Fact]
    public async Task Callers_beyond_the_queue_limit_are_refused()
    {
        using var limiter = new PacingRateLimiter(1, 1, queueLimit: 2, _clock);

        var first = limiter.AcquireAsync().AsTask();
        var queued = new[] { limiter.AcquireAsync().AsTask(), limiter.AcquireAsync().AsTask() };
        var refused = limiter.AcquireAsync().AsTask();

        Assert.True((await first).IsAcquired);
        Assert.All(queued, q => Assert.False(q.IsCompleted));
        Assert.False((await refused).IsAcquired);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_line()
    {
        using var limiter = new PacingRateLimiter(5, 1, 100, _clock);
        (await limiter.AcquireAsync()).Dispose();
        using var cts = new CancellationTokenSource();
        var cancelled = limiter.AcquireAsync(1, cts.Token).AsTask();
        var next = limiter.AcquireAsync().AsTask();

        cts.Cancel();
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True((await next).IsAcquired);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public void Try_acquire_does_not_jump_the_line()
    {
        using var limiter = new PacingRateLimiter(5, 1, 100, _clock);
        using var first = limiter.AttemptAcquire();
        var queued = limiter.AcquireAsync().AsTask();

        _clock.Advance(TimeSpan.FromMilliseconds(150));

        using var jumper = limiter.AttemptAcquire();
        Assert.True(first.IsAcquired);
        Assert.False(jumper.IsAcquired);
    }
}
