using CutoverEngine.Aws.Tests.Support;

namespace CutoverEngine.Aws.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task Repeated_server_errors_open_the_endpoint_circuit_and_later_calls_are_not_sent()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Route53Error(500, "InternalFailure")));
        using var rig = new AwsRig(
            handler,
            configure: o =>
            {
                o.Resilience.Retry.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreaker.MinimumThroughput = 4;
                o.Resilience.CircuitBreaker.FailureRatio = 0.5;
            }
        );
        for (var i = 0; i < 4; i++)
            await Assert.ThrowsAsync<AwsServiceException>(() => rig.Route53.GetChangeAsync(AwsRig.Account, "C1"));
        var sent = handler.Count;

        var ex = await Assert.ThrowsAsync<AwsTransportException>(() =>
            rig.Route53.GetChangeAsync(AwsRig.Account, "C1")
        );

        Assert.Equal(AwsFault.CircuitOpen, ex.Fault);
        Assert.Equal(sent, handler.Count);
        Assert.Equal("CircuitOpen", rig.Sink.Attempts[^1].ErrorCode);
    }

    [Fact]
    public async Task Throttling_does_not_open_the_circuit()
    {
        var handler = new StubHandler((_, _) => Task.FromResult(StubHandler.Route53Error(400, "Throttling")));
        using var rig = new AwsRig(
            handler,
            configure: o =>
            {
                o.Resilience.Retry.MaxRetryAttempts = 0;
                o.Resilience.CircuitBreaker.MinimumThroughput = 4;
            }
        );

        for (var i = 0; i < 8; i++)
        {
            var ex = await Assert.ThrowsAsync<AwsServiceException>(() =>
                rig.Route53.GetChangeAsync(AwsRig.Account, "C1")
            );
            Assert.Equal("Throttling", ex.ErrorCode);
        }
        Assert.Equal(8, handler.Count);
    }
}
