using System.Net;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Tests.Support;

namespace CutoverEngine.Aws.Tests.Route53;

/// <summary>Which Route 53 answers are retried, and how many attempts each takes (stub endpoint).</summary>
public sealed class Route53RetryTests
{
    private static readonly ChangeBatch OneUpsert = new([
        RecordSetChange.Upsert(ResourceRecordSet.A("mta1.acme.example", 60, "192.0.2.10")),
    ]);

    /// <summary>A stub whose n-th change request is answered by <paramref name="change"/>(n).</summary>
    private static StubHandler ChangeAnswers(Func<int, HttpResponseMessage> change)
    {
        var changes = 0;
        return new StubHandler((_, _) => Task.FromResult(change(Interlocked.Increment(ref changes))));
    }

    [Theory]
    [InlineData(400, "Throttling")]
    [InlineData(400, "PriorRequestNotComplete")]
    [InlineData(500, "InternalFailure")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task Transient_error_is_retried_until_success(int status, string code)
    {
        var handler = ChangeAnswers(n =>
            n <= 2
                ? StubHandler.Route53Error(status, code, requestId: $"req-{n}")
                : StubHandler.ChangeInfo(requestId: "req-ok")
        );
        using var rig = new AwsRig(handler);

        var info = await rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert);

        Assert.Equal("C123", info.Id);
        Assert.Equal("req-ok", info.RequestId);
        var attempts = rig.AttemptsOf("ChangeResourceRecordSets");
        Assert.Equal([1, 2, 3], attempts.Select(a => a.AttemptNumber));
        Assert.Equal(
            [AwsAttemptOutcome.Retrying, AwsAttemptOutcome.Retrying, AwsAttemptOutcome.Succeeded],
            attempts.Select(a => a.Outcome)
        );
        Assert.Equal([code, code, null], attempts.Select(a => a.ErrorCode));
        Assert.Equal(["req-1", "req-2", "req-ok"], attempts.Select(a => a.RequestId));
        Assert.Equal([status, status, 200], attempts.Select(a => a.HttpStatus));
        Assert.All(attempts.Take(2), a => Assert.NotNull(a.NextAttemptDelay));
        Assert.Null(attempts[2].NextAttemptDelay);
    }

    [Theory]
    [InlineData(400, "InvalidInput")]
    [InlineData(404, "NoSuchHostedZone")]
    [InlineData(403, "SignatureDoesNotMatch")]
    [InlineData(403, "InvalidClientTokenId")]
    [InlineData(403, "AccessDenied")]
    public async Task Client_error_is_not_retried(int status, string code)
    {
        var handler = ChangeAnswers(_ => StubHandler.Route53Error(status, code, requestId: "req-x"));
        using var rig = new AwsRig(handler);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
            rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert)
        );

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(status, ex.HttpStatus);
        Assert.Equal("req-x", ex.RequestId);
        Assert.Equal(1, ex.Attempts);
        var attempt = Assert.Single(rig.AttemptsOf("ChangeResourceRecordSets"));
        Assert.Equal(AwsAttemptOutcome.Failed, attempt.Outcome);
        Assert.Null(attempt.NextAttemptDelay);
    }

    [Fact]
    public async Task Invalid_change_batch_is_not_retried_and_carries_each_message()
    {
        const string body =
            $"<?xml version=\"1.0\"?><InvalidChangeBatch xmlns=\"{StubHandler.R53}\"><Messages>"
            + "<Message>Tried to create resource record set [name='a.acme.example.', type='A'] but it already exists</Message>"
            + "<Message>Tried to delete resource record set [name='b.acme.example.', type='A'] but it was not found</Message>"
            + "</Messages><RequestId>req-icb</RequestId></InvalidChangeBatch>";
        var handler = ChangeAnswers(_ => StubHandler.Xml(400, body, "req-icb"));
        using var rig = new AwsRig(handler);

        var ex = await Assert.ThrowsAsync<Route53InvalidChangeBatchException>(() =>
            rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert)
        );

        Assert.Equal(2, ex.Messages.Count);
        Assert.Contains("already exists", ex.Messages[0]);
        Assert.Contains("was not found", ex.Messages[1]);
        Assert.Equal("req-icb", ex.RequestId);
        Assert.Equal(1, ex.Attempts);
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_error_surfaces()
    {
        var handler = ChangeAnswers(n => StubHandler.Route53Error(400, "Throttling", requestId: $"req-{n}"));
        using var rig = new AwsRig(handler, configure: o => o.Resilience.Retry.MaxRetryAttempts = 3);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
            rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert)
        );

        Assert.Equal("Throttling", ex.ErrorCode);
        Assert.Equal(4, ex.Attempts);
        Assert.Equal("req-4", ex.RequestId);
        var attempts = rig.AttemptsOf("ChangeResourceRecordSets");
        Assert.Equal(4, attempts.Count);
        Assert.Equal(AwsAttemptOutcome.Failed, attempts[^1].Outcome);
        Assert.All(attempts.SkipLast(1), a => Assert.Equal(AwsAttemptOutcome.Retrying, a.Outcome));
    }

    [Fact]
    public async Task Dropped_connection_is_retried()
    {
        var handler = ChangeAnswers(n =>
            n == 1
                ? throw new HttpRequestException("The response ended prematurely.", new IOException("connection reset"))
                : StubHandler.ChangeInfo()
        );
        using var rig = new AwsRig(handler);

        await rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert);

        var attempts = rig.AttemptsOf("ChangeResourceRecordSets");
        Assert.Equal(2, attempts.Count);
        Assert.Equal("ConnectionFailed", attempts[0].ErrorCode);
        Assert.Null(attempts[0].HttpStatus);
    }

    [Fact]
    public async Task Attempt_that_outlives_its_timeout_is_abandoned_and_retried()
    {
        var changes = 0;
        var handler = new StubHandler(
            async (_, _, ct) =>
            {
                if (Interlocked.Increment(ref changes) == 1)
                    await Task.Delay(Timeout.Infinite, ct);
                return StubHandler.ChangeInfo();
            }
        );
        using var rig = new AwsRig(
            handler,
            configure: o => o.Resilience.AttemptTimeout = TimeSpan.FromMilliseconds(200)
        );

        await rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert);

        var attempts = rig.AttemptsOf("ChangeResourceRecordSets");
        Assert.Equal(2, attempts.Count);
        Assert.Equal(AwsAttemptOutcome.Retrying, attempts[0].Outcome);
        Assert.Equal("AttemptTimeout", attempts[0].ErrorCode);
        Assert.True(attempts[0].Latency >= TimeSpan.FromMilliseconds(150), $"latency {attempts[0].Latency}");
    }

    [Fact]
    public async Task Call_budget_bounds_the_whole_call()
    {
        // Change batches answer at once, listings never: the change batch below warms the signer, the HTTP
        // pipeline and the resilience pipeline, so that on a loaded machine the first listing attempt is not
        // spent compiling code outside the attempt timeout's reach (CI once saw a single attempt use the budget).
        var handler = new StubHandler(
            async (req, _, ct) =>
            {
                if (req.Method == HttpMethod.Post)
                    return StubHandler.ChangeInfo();
                await Task.Delay(Timeout.Infinite, ct);
                return StubHandler.RecordSets();
            }
        );
        var budget = TimeSpan.FromSeconds(2);
        var attemptTimeout = TimeSpan.FromMilliseconds(100);
        using var rig = new AwsRig(
            handler,
            configure: o =>
            {
                o.Resilience.AttemptTimeout = attemptTimeout;
                o.Resilience.CallBudget = budget;
                o.Resilience.Retry.MaxRetryAttempts = 100;
            }
        );
        await rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert);
        var started = TimeProvider.System.GetTimestamp();

        var ex = await Assert.ThrowsAsync<AwsTransportException>(() =>
            rig.Route53.ListRecordSetsAsync(AwsRig.Account, "Z1")
        );

        // 100 retries of 100 ms attempts would take over 10 s; the budget stops the call after about 2 s.
        // Timers may fire a hair early: the lower bound allows 100 ms of timer granularity.
        Assert.InRange(
            TimeProvider.System.GetElapsedTime(started),
            budget - TimeSpan.FromMilliseconds(100),
            TimeSpan.FromSeconds(8)
        );
        Assert.Equal(AwsFault.CallBudgetExceeded, ex.Fault);
        // At least one retry ran; and the budget, not the 100 retries allowed, ended the call: attempts of at least
        // 100 ms each fit at most budget / timeout = 20 times in 2 s, plus the one the budget cut short.
        var mostThatFit = (int)(budget / attemptTimeout) + 1;
        Assert.InRange(ex.Attempts, 2, mostThatFit);
        var attempts = rig.AttemptsOf("ListResourceRecordSets");
        Assert.Equal(ex.Attempts, attempts.Count);
        Assert.All(attempts.SkipLast(1), a => Assert.Equal("AttemptTimeout", a.ErrorCode));
        Assert.Equal(("CallBudgetExceeded", AwsAttemptOutcome.Failed), (attempts[^1].ErrorCode, attempts[^1].Outcome));
    }

    [Fact]
    public async Task Non_xml_server_error_is_still_retried()
    {
        var handler = ChangeAnswers(n =>
            n == 1
                ? new HttpResponseMessage(HttpStatusCode.BadGateway)
                {
                    Content = new StringContent("<html>bad gateway</html>"),
                }
                : StubHandler.ChangeInfo()
        );
        using var rig = new AwsRig(handler);

        await rig.Route53.SubmitChangeBatchAsync(AwsRig.Account, "Z1", OneUpsert);

        Assert.Equal(2, rig.AttemptsOf("ChangeResourceRecordSets").Count);
    }
}
