using CutoverEngine.Aws.Recording;
using CutoverEngine.Engine.Telemetry;

namespace CutoverEngine.Engine.Tests.Telemetry;

public sealed class TelemetryNameTests
{
    [Fact]
    public void The_aws_calls_and_the_engine_report_under_one_meter_and_source_name()
    {
        // One AddMeter/AddSource in the server picks up both; the AWS project cannot reference the engine's constant.
        Assert.Equal(CutoverTelemetry.Name, AwsTelemetry.Name);
        Assert.Equal(CutoverTelemetry.Name, CutoverTelemetry.Source.Name);
        Assert.Equal(CutoverTelemetry.Name, AwsTelemetry.Source.Name);
    }
}
