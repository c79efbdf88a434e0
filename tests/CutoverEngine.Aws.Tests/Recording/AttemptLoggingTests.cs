using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Tests.Support;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace CutoverEngine.Aws.Tests.Recording;

public sealed class AttemptLoggingTests
{
    [Fact]
    public async Task Each_attempt_is_a_log_event_with_its_fields_as_properties()
    {
        var handler = new StubHandler(
            (_, n) =>
                Task.FromResult(
                    n == 1
                        ? StubHandler.Route53Error(400, "Throttling", requestId: "req-throttled")
                        : StubHandler.ChangeInfo("C9", "INSYNC", requestId: "req-ok")
                )
        );
        using var rig = new AwsRig(handler);

        await rig.Route53.GetChangeAsync(AwsRig.Account, "C9");

        var events = rig.LogEvents.Events;
        Assert.Equal(2, events.Count);
        var retry = events[0];
        Assert.Equal(LogEventLevel.Warning, retry.Level);
        Assert.Equal("Route53", Scalar(retry, "Service"));
        Assert.Equal("GetChange", Scalar(retry, "Operation"));
        Assert.Equal(AwsRig.Account, Scalar(retry, "Account"));
        Assert.Equal(1, Scalar(retry, "AttemptNumber"));
        Assert.Equal(400, Scalar(retry, "HttpStatus"));
        Assert.Equal("Throttling", Scalar(retry, "ErrorCode"));
        Assert.Equal("req-throttled", Scalar(retry, "RequestId"));
        Assert.IsType<double>(Scalar(retry, "LatencyMs"));
        Assert.IsType<double>(Scalar(retry, "NextAttemptDelayMs"));
        Assert.Equal("Retrying", Scalar(retry, "Outcome"));
        var success = events[1];
        Assert.Equal(LogEventLevel.Information, success.Level);
        Assert.Equal(2, Scalar(success, "AttemptNumber"));
        Assert.Equal("req-ok", Scalar(success, "RequestId"));
        Assert.Null(Scalar(success, "NextAttemptDelayMs"));
        Assert.Equal(Scalar(retry, "CallId"), Scalar(success, "CallId"));
    }

    [Fact]
    public void A_failing_subscriber_does_not_stop_the_others()
    {
        var log = new LogCollector();
        var feed = new AwsAttemptFeed(
            new Serilog.Extensions.Logging.SerilogLoggerFactory(
                new Serilog.LoggerConfiguration().WriteTo.Sink(log).CreateLogger()
            ).CreateLogger<AwsAttemptFeed>()
        );
        var kept = new CollectingSink();
        feed.Subscribe(new ThrowingSink());
        using var subscription = feed.Subscribe(kept);

        feed.Record(
            new AwsAttempt
            {
                CallId = Guid.NewGuid(),
                Service = AwsService.Ec2,
                Operation = "DescribeAddresses",
                Account = "1",
                AttemptNumber = 1,
                Outcome = AwsAttemptOutcome.Succeeded,
                StartedAt = DateTimeOffset.UnixEpoch,
                Latency = TimeSpan.Zero,
            }
        );

        Assert.Single(kept.Attempts);
        Assert.Contains(log.Events, e => e.Level == LogEventLevel.Error && e.Exception is InvalidOperationException);
    }

    private static object? Scalar(LogEvent e, string name) =>
        Assert.IsType<ScalarValue>(e.Properties[name]).Value is var v && v is Enum
            ? v.ToString()
            : ((ScalarValue)e.Properties[name]).Value;

    private sealed class ThrowingSink : IAwsAttemptSink
    {
        public void Record(AwsAttempt attempt) => throw new InvalidOperationException("journal down");
    }
}

public sealed class AwsCallScopeTests
{
    [Fact]
    public async Task Attempts_carry_the_labels_of_the_scope_they_were_made_in()
    {
        var handler = new StubHandler(
            (_, n) =>
                Task.FromResult(
                    n == 1
                        ? StubHandler.Route53Error(503, "ServiceUnavailable")
                        : StubHandler.ChangeInfo("C9", "INSYNC")
                )
        );
        using var rig = new AwsRig(handler);

        using (AwsCallScope.Begin([new("Wave", "w1"), new("Environment", "acme-prod")]))
        using (AwsCallScope.Begin("Step", "repoint-dns"))
            await rig.Route53.GetChangeAsync(AwsRig.Account, "C9");
        await rig.Route53.GetChangeAsync(AwsRig.Account, "C9");

        var attempts = rig.AttemptsOf("GetChange");
        Assert.Equal(3, attempts.Count);
        Assert.All(
            attempts.Take(2),
            a =>
                Assert.Equal(
                    new Dictionary<string, string>
                    {
                        ["Wave"] = "w1",
                        ["Environment"] = "acme-prod",
                        ["Step"] = "repoint-dns",
                    },
                    a.Labels
                )
        );
        Assert.Empty(attempts[2].Labels);
        Assert.Equal("repoint-dns", ((Serilog.Events.ScalarValue)rig.LogEvents.Events[0].Properties["Step"]).Value);
    }
}
