using CutoverEngine.Aws.Ec2;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>Advertise or withdraw a BYOIP range and wait until the world sees it.</summary>
static class ByoipRange
{
    public static async Task<StepResult> MoveAsync(
        IByoipGateway byoip,
        CutoverOptions o,
        TimeProvider clock,
        CutoverContext run,
        bool advertised,
        CancellationToken ct
    )
    {
        var s = run.Subject;
        var ranges = await byoip.DescribeRangesAsync(s.AccountId, ct);
        var range = ranges.FirstOrDefault(r => r.Cidr == s.ByoipCidr);
        if (range is null)
            return StepResult.Fail($"BYOIP range {s.ByoipCidr} not found in account {s.AccountId}");
        var (goal, pending) = advertised
            ? ("advertised", "pending-advertising")
            : ("provisioned", "pending-withdrawal");
        if (range.State == goal)
            return StepResult.Done($"range {s.ByoipCidr} is {goal}");
        var what = $"range {s.ByoipCidr} is {pending}";
        if (range.State != pending)
        {
            var change = advertised
                ? await byoip.AdvertiseAsync(s.AccountId, s.ByoipCidr!, ct)
                : await byoip.WithdrawAsync(s.AccountId, s.ByoipCidr!, ct);
            what =
                $"range {s.ByoipCidr} {(advertised ? "advertised" : "withdrawn")} (request {change.RequestId}); waiting for BGP";
        }
        // Watch the range's state within this run (describes are on the generous describe quota), then wait durably.
        var reached = await Watch.UntilAsync(
            clock,
            o.ByoipWatchInterval,
            o.WatchWindow,
            async token =>
                (await byoip.DescribeRangesAsync(s.AccountId, token)).FirstOrDefault(r => r.Cidr == s.ByoipCidr)?.State
                == goal,
            ct
        );
        return reached ? StepResult.Done($"range {s.ByoipCidr} is {goal}") : StepResult.WaitFor(run.PollInterval, what);
    }
}
