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
        var s = run.Subject;
        if (run.Data.Snapshot is not { } snapshot)
            return StepResult.Done("nothing to restore: no change was made");
        if (s.IsByoip)
            // Back to the state recorded, whichever way this workflow moved it: a cutover advertised the range, a
            // revert withdrew it. Already there (a range advertised before a cutover): nothing is called but a read.
            return await ByoipRange.MoveAsync(
                byoip,
                options.Value,
                Clock,
                run,
                advertised: snapshot.ByoipState is "advertised",
                ct
            );
        var restored = await SnapshotAddresses.RestoreAsync(elasticIps, s.AccountId, snapshot, ct);
        return StepResult.Done($"{restored.Count} Elastic IPs restored", restored);
    }
}
