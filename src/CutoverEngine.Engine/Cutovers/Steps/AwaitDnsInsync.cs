using CutoverEngine.Aws.Route53;
using CutoverEngine.Aws.Route53.Zones;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Steps;

/// <summary>
/// Waits until the submitted record changes are live: by asking every authoritative name server of the zone, every
/// <see cref="CutoverOptions.WatchInterval"/> within one step run (no Route 53 quota spent, and exactly what resolvers
/// will see), and after each watch window that did not see them, by GetChange, whose INSYNC settles it too. What the
/// name servers show is reported to the zone's batcher, so the zone's next batch need not ask Route 53 either.
/// </summary>
[CutoverStepKind(nameof(AwaitDnsInsync), RequiredIn = StepPaths.Forward, ForwardOrder = 5)]
public sealed class AwaitDnsInsync(
    StepFrameServices frame,
    IZoneChangeBatcher zoneChanges,
    IRoute53Gateway route53,
    DnsQueries dns,
    IOptions<CutoverOptions> options
) : CutoverStep(frame)
{
    protected override async Task<StepResult> ExecuteAsync(CutoverContext run, CancellationToken ct)
    {
        var pending = run.Data.PendingChangeIds;
        if (pending.Count == 0)
            return StepResult.Done("no change to wait for");
        var s = run.Subject;
        var expected = Expected(run);
        if (expected.Count > 0)
        {
            var live = await Watch.UntilAsync(
                Clock,
                options.Value.WatchInterval,
                options.Value.WatchWindow,
                async token =>
                {
                    try
                    {
                        foreach (var (name, addresses) in expected)
                            if (!await dns.AllAuthoritativeServersAnswerAsync(s.HostedZoneName, name, addresses, token))
                                return false;
                        return true;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        return false; // DNS unavailable from here: Route 53's own status decides below.
                    }
                },
                ct
            );
            if (live)
            {
                var ids = string.Join(", ", pending);
                foreach (var id in pending)
                    zoneChanges.ReportInSync(s.AccountId, id);
                pending.Clear();
                return StepResult.Done($"every authoritative server answers the new records (changes {ids})");
            }
        }
        var round = run.Data.StepRounds.GetValueOrDefault(run.Step.Name) + 1;
        run.Data.StepRounds[run.Step.Name] = round;
        foreach (var id in pending.ToList())
        {
            var info = await route53.GetChangeAsync(s.AccountId, id, ct);
            if (info.Status == ChangeStatus.InSync)
            {
                pending.Remove(id);
                zoneChanges.ReportInSync(s.AccountId, id);
            }
        }
        if (pending.Count == 0)
            return StepResult.Done("every change is INSYNC");
        return StepResult.WaitFor(
            run.PollInterval,
            $"{pending.Count} change(s) not yet live: {string.Join(", ", pending)}"
        );
    }

    /// <summary>What the records must read once live: the targets going forward, the snapshot when rolling
    /// back.</summary>
    static Dictionary<string, System.Net.IPAddress[]> Expected(CutoverContext run)
    {
        if (run.Data.IsRollingBack)
            return run.Data.Snapshot?.RecordSets.Where(r => r.Type == "A")
                    .ToDictionary(r => r.Name.TrimEnd('.'), r => r.Values.Select(System.Net.IPAddress.Parse).ToArray())
                ?? [];
        return run.Subject.MtaHosts.ToDictionary(
            h => h.Name,
            h => new[] { System.Net.IPAddress.Parse(h.TargetAddress) }
        );
    }
}
