using System.Collections.Concurrent;
using System.Diagnostics;
using CutoverEngine.Engine.Telemetry;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>A cutover on the sandbox as spans: one per cutover, a child per step, AWS attempts with request
/// ids.</summary>
public sealed class CutoverTracingTests
{
    [Fact]
    public async Task A_cutover_is_one_trace_with_a_span_per_step_and_its_aws_calls_with_their_request_ids()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == CutoverTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var environment = h.Inventory.Environments.First(e => e.Id.EndsWith("-stg", StringComparison.Ordinal)).Id;

        var result = Assert.Single(await h.RunAsync(environment));

        Assert.Equal("completed", result.Outcome);
        // Other tests of the process may trace too: this cutover's spans are those tagged with its environment.
        var spans = stopped.ToList();
        var cutover = Assert.Single(
            spans,
            s => s.OperationName == "cutover" && (string?)s.GetTagItem("cutover.environment") == environment
        );
        Assert.Equal("completed", cutover.GetTagItem("cutover.outcome"));
        var steps = spans
            .Where(s =>
                s.ParentSpanId == cutover.SpanId && s.OperationName.StartsWith("step ", StringComparison.Ordinal)
            )
            .ToList();
        Assert.All(steps, s => Assert.Equal(environment, s.GetTagItem("cutover.environment")));
        Assert.All(steps, s => Assert.Equal(cutover.TraceId, s.TraceId));
        foreach (
            var step in new[]
            {
                "preflight",
                "pause-sending",
                "repoint-ips",
                "repoint-dns",
                "verify",
                "record-downtime",
            }
        )
            Assert.Contains(steps, s => (string?)s.GetTagItem("cutover.step") == step);

        // Addresses are associated by the step itself: its EC2 attempts are its children, each with AWS's request id.
        var repointIps = steps.Single(s => (string?)s.GetTagItem("cutover.step") == "repoint-ips");
        var associate = spans
            .Where(s => s.ParentSpanId == repointIps.SpanId && s.OperationName == "Ec2 AssociateAddress")
            .ToList();
        Assert.NotEmpty(associate);
        Assert.All(associate, s => Assert.False(string.IsNullOrEmpty((string?)s.GetTagItem("aws.request_id"))));
        Assert.All(associate, s => Assert.Equal(ActivityKind.Client, s.Kind));
    }
}
