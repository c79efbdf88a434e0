using CutoverEngine.Aws.Ec2;
using CutoverEngine.Engine.Definitions;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Puts the addresses back where the snapshot found them.</summary>
[CutoverStepKind(
    nameof(RestoreIps),
    Paths = StepPaths.Rollback,
    RequiredIn = StepPaths.Rollback,
    Before = [nameof(ResumeSending)],
    Because = "sending resumes on the old infrastructure"
)]
public sealed class RestoreIps(
    StepFrameServices frame,
    IElasticIpGateway elasticIps,
    IByoipGateway byoip,
    IOptions<CutoverOptions> options
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        if (run.Data.Snapshot is not { } snapshot)
            return StepResult.Done("nothing to restore: no change was made");
        return await SnapshotAddresses.RestoreAsync(elasticIps, byoip, options.Value, Clock, run, snapshot, ct);
    }
}
