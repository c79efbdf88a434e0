using CutoverEngine.Aws.Recording;
using CutoverEngine.Aws.Resilience;
using CutoverEngine.Aws.Tests.Support;

namespace CutoverEngine.Aws.Tests.Recording;

/// <summary>Each attempt carries the class of its fault, decided where the attempt was classified for
/// retrying.</summary>
public sealed class FaultClassTests
{
    [Theory]
    [InlineData(400, "Throttling", AwsFaultClass.Throttle)]
    [InlineData(503, "ServiceUnavailable", AwsFaultClass.Transient)]
    [InlineData(500, "InternalFailure", AwsFaultClass.Transient)]
    public async Task A_retried_answer_is_recorded_with_its_class_and_the_success_with_none(
        int status,
        string code,
        AwsFaultClass expected
    )
    {
        var handler = new StubHandler(
            (_, n) =>
                Task.FromResult(
                    n == 1
                        ? StubHandler.Route53Error(status, code, requestId: "req-1")
                        : StubHandler.ChangeInfo("C9", "INSYNC", requestId: "req-ok")
                )
        );
        using var rig = new AwsRig(handler);

        await rig.Route53.GetChangeAsync(AwsRig.Account, "C9");

        var attempts = rig.AttemptsOf("GetChange");
        Assert.Equal(
            [(AwsAttemptOutcome.Retrying, (AwsFaultClass?)expected), (AwsAttemptOutcome.Succeeded, null)],
            attempts.Select(a => (a.Outcome, a.FaultClass))
        );
    }

    [Fact]
    public async Task A_refused_request_is_recorded_as_permanent()
    {
        var handler = new StubHandler(
            (_, _) => Task.FromResult(StubHandler.Route53Error(404, "NoSuchChange", requestId: "req-x"))
        );
        using var rig = new AwsRig(handler);

        await Assert.ThrowsAsync<AwsServiceException>(() => rig.Route53.GetChangeAsync(AwsRig.Account, "C404"));

        var attempt = Assert.Single(rig.AttemptsOf("GetChange"));
        Assert.Equal(AwsFaultClass.Permanent, attempt.FaultClass);
    }

    [Theory]
    [InlineData("EC2ThrottledException", 400, AwsFaultClass.Throttle)]
    [InlineData(null, 429, AwsFaultClass.Throttle)]
    [InlineData("InternalError", 400, AwsFaultClass.Transient)]
    [InlineData("ConnectionFailed", null, AwsFaultClass.Transient)]
    [InlineData("InvalidAllocationID.NotFound", 400, AwsFaultClass.Permanent)]
    [InlineData(null, 200, null)]
    public void An_answer_known_only_by_its_code_and_status_is_classed_by_the_same_codes(
        string? code,
        int? status,
        AwsFaultClass? expected
    )
    {
        Assert.Equal(expected, AwsFaultClassifier.ClassOf(code, status));
    }
}
