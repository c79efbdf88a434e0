using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Time.Testing;
using Polly.Timeout;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>The definition's attempts, backoff and timeout for one step run.</summary>
public sealed class StepAttemptPipelineTests
{
    readonly FakeTimeProvider time = new();

    static StepDefinition Step(int attempts, int timeoutSeconds = 600) =>
        new("repoint-ips", "RepointIps", TimeSpan.FromSeconds(timeoutSeconds), attempts, null, [], false, 4);

    /// <summary>Moves the fake clock until <paramref name="run"/> ends; fails if it never does.</summary>
    async Task<T> DriveAsync<T>(Task<T> run)
    {
        for (var i = 0; i < 10_000 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }
        Assert.True(run.IsCompleted, "the step run did not end within 500 s of fake time");
        return await run;
    }

    [Fact]
    public async Task A_body_that_throws_runs_again_after_a_doubling_backoff_and_each_failure_is_reported()
    {
        var failures = new List<StepAttemptFailedPayload>();
        var pipeline = StepAttemptPipeline.For(
            Step(attempts: 4),
            TimeSpan.FromMinutes(10),
            time,
            f =>
            {
                failures.Add(f);
                return ValueTask.CompletedTask;
            }
        );
        var calls = 0;

        var result = await DriveAsync(
            pipeline
                .ExecuteAsync(_ =>
                    ++calls < 3
                        ? throw new InvalidOperationException($"sending control down #{calls}")
                        : ValueTask.FromResult("done")
                )
                .AsTask()
        );

        Assert.Equal("done", result);
        Assert.Equal(3, calls);
        var first = StepAttemptPipeline.FirstBackoff.TotalMilliseconds;
        Assert.Equal([(1, 4, first), (2, 4, 2 * first)], failures.Select(f => (f.Attempt, f.Of, f.RetryInMs)));
        Assert.Equal("InvalidOperationException: sending control down #1", failures[0].Error);
    }

    [Fact]
    public async Task When_the_attempts_are_spent_the_last_failure_is_the_step_s()
    {
        var failures = 0;
        var pipeline = StepAttemptPipeline.For(
            Step(attempts: 2),
            TimeSpan.FromMinutes(10),
            time,
            _ =>
            {
                failures++;
                return ValueTask.CompletedTask;
            }
        );
        var calls = 0;

        var run = pipeline
            .ExecuteAsync<string>(_ => throw new InvalidOperationException($"attempt {++calls}"))
            .AsTask();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => DriveAsync(run));

        Assert.Equal("attempt 2", e.Message);
        Assert.Equal(1, failures);
    }

    [Fact]
    public async Task The_backoff_never_exceeds_its_cap()
    {
        var delays = new List<double>();
        var pipeline = StepAttemptPipeline.For(
            Step(attempts: 10),
            TimeSpan.FromHours(1),
            time,
            f =>
            {
                delays.Add(f.RetryInMs);
                return ValueTask.CompletedTask;
            }
        );

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DriveAsync(pipeline.ExecuteAsync<string>(_ => throw new InvalidOperationException("down")).AsTask())
        );

        Assert.Equal(9, delays.Count);
        Assert.Equal(StepAttemptPipeline.MaxBackoff.TotalMilliseconds, delays.Max());
        Assert.Equal(delays.Order(), delays);
    }

    [Fact]
    public async Task The_time_left_of_the_step_s_timeout_bounds_all_attempts()
    {
        var pipeline = StepAttemptPipeline.For(
            Step(attempts: 20),
            TimeSpan.FromSeconds(3),
            time,
            _ => ValueTask.CompletedTask
        );

        await Assert.ThrowsAsync<TimeoutRejectedException>(() =>
            DriveAsync(pipeline.ExecuteAsync<string>(_ => throw new InvalidOperationException("down")).AsTask())
        );
    }
}
