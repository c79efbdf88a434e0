using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Planning;
using CutoverEngine.Sending.Verification;
using DnsClient;

namespace CutoverEngine.Engine.Preparation;

/// <summary>The readiness verdict of one environment with the figures of every check behind it.</summary>
public sealed record ReadinessReport(EnvironmentReadiness Readiness, IReadOnlyList<ReadinessFigure> Figures);

/// <summary>
/// Whether an environment is ready for its window, after prepare: its new addresses on no configured DNS blocklist,
/// every TTL it lowered in force for the old TTL's worth of time (<see cref="TtlElapsedRule"/>), SPF passing the new
/// addresses (<see cref="MtaChecks.SpfAsync"/>, the evaluator over the zone's authoritative DNS), and the IAM
/// permission of the cutover's EC2 calls (DryRun). Reads only. A blocklist that answers with an error code, and the
/// warm-up of new Elastic IPs, are warnings: neither says the environment cannot move.
/// </summary>
public sealed class ReadinessChecks(
    IRoute53Gateway route53,
    DnsQueries dns,
    MtaChecks checks,
    IEc2DryRun dryRun,
    PrepareStore store,
    PrepareOptions options,
    TimeProvider clock
)
{
    /// <summary>Reason codes the start gate and the tests match.</summary>
    public const string Blocklisted = "blocklisted",
        TtlNotLowered = "ttl-not-lowered",
        TtlNotElapsed = "ttl-not-elapsed",
        SpfNotPassing = "spf",
        SpfRefused = "spf-refused",
        IamMissing = "iam";

    public async Task<ReadinessReport> CheckAsync(
        CutoverEnvironment e,
        string waveId,
        SpfPreparation? spf,
        CancellationToken ct
    )
    {
        var reasons = new List<ReadinessReason>();
        var warnings = new List<string>();
        var figures = new List<ReadinessFigure>();
        var addresses = EnvironmentPreparer.NewAddresses(e);

        foreach (var zone in options.Blocklists)
        foreach (var address in addresses)
        {
            var name = BlocklistVerdict.QueryName(address, zone);
            DnsResult? answer = null;
            try
            {
                answer = await dns.ResolveAsync(name, QueryType.A, ct);
            }
            catch (DnsResponseException) { }
            var status = answer is null
                ? BlocklistStatus.Error
                : BlocklistVerdict.Of(
                    answer.NameError,
                    answer.Addresses,
                    answer.Ok || answer.NameError ? null : answer.ResponseCode
                );
            var observed =
                answer is null ? "no answer"
                : answer.Addresses.Count > 0 ? string.Join(",", answer.Addresses)
                : answer.ResponseCode;
            figures.Add(
                new ReadinessFigure(
                    "blocklist",
                    $"{address} on {zone}",
                    status != BlocklistStatus.Listed,
                    $"{status}: {observed}"
                )
            );
            if (status == BlocklistStatus.Listed)
                reasons.Add(new(Blocklisted, $"{address} is listed on {zone} ({observed})"));
            else if (status == BlocklistStatus.Error)
                warnings.Add($"{zone} did not say whether {address} is listed ({observed}): an error, not a listing");
        }

        reasons.AddRange(await TtlReasonsAsync(e, figures, ct));

        if (spf?.Refused is { } refused)
            reasons.Add(new(SpfRefused, $"SPF not pre-authorised, nothing written: {refused}"));
        var spfCheck = await checks.SpfAsync(e.HostedZone.Name, e.SendingDomain, addresses, ct);
        figures.Add(new ReadinessFigure("spf", e.SendingDomain, spfCheck.Passed, spfCheck.Observed));
        if (!spfCheck.Passed)
            reasons.Add(
                new(SpfNotPassing, $"SPF of {e.SendingDomain} does not pass the new addresses: {spfCheck.Observed}")
            );

        foreach (var probe in await DryRunsAsync(e, ct))
        {
            figures.Add(
                new ReadinessFigure("iam", probe.Operation.IamAction, probe.Permitted, $"{probe.Code}: {probe.Message}")
            );
            if (probe.Permitted)
                continue;
            if (probe.Code is "UnauthorizedOperation" or "AccessDenied" or "AccessDeniedException")
                reasons.Add(
                    new(
                        IamMissing,
                        $"{probe.Operation.IamAction} is not permitted in account {e.Account.Id}: {probe.Message}"
                    )
                );
            else
                warnings.Add($"the dry run of {probe.Operation.IamAction} answered {probe.Code}: {probe.Message}");
        }

        if (e.IpStrategy == IpStrategy.ElasticIp)
            warnings.Add(CutoverPlanner.WarmUpWarning(addresses.Count));

        var readiness = new EnvironmentReadiness(
            e.Id,
            waveId,
            reasons.Count == 0,
            reasons,
            warnings,
            clock.GetUtcNow()
        );
        await store.SaveReadinessAsync(readiness, ct);
        return new ReadinessReport(readiness, figures);
    }

    /// <summary>
    /// The TTL reasons from what prepare remembered, against the live records: each record the cutover changes must
    /// carry the lowered TTL, and the old TTL's worth of time must have passed since it was lowered.
    /// </summary>
    async Task<IReadOnlyList<ReadinessReason>> TtlReasonsAsync(
        CutoverEnvironment e,
        List<ReadinessFigure> figures,
        CancellationToken ct
    )
    {
        var reasons = new List<ReadinessReason>();
        var remembered = await store.TtlsAsync(e.Id, ct);
        var now = clock.GetUtcNow();
        var target = (long)options.Ttl.TotalSeconds;
        foreach (var r in CutoverRecords.ChangedBy(e))
        {
            var live = await route53.FindRecordSetAsync(e.Account.Id, e.HostedZone.Id, r.Name, r.Type, ct);
            var memory = remembered.FirstOrDefault(m =>
                string.Equals(m.Name, r.Name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase) && m.Type == r.Type
            );
            if (live?.Ttl is not { } ttl || ttl > target || memory?.LoweredAt is not { } loweredAt)
            {
                var observed = live?.Ttl is { } t ? $"TTL {t} s" : "no record";
                figures.Add(new ReadinessFigure("ttl", $"{r.Name} {r.Type}", false, observed));
                reasons.Add(new(TtlNotLowered, $"{r.Name} {r.Type}: {observed}, not lowered to {target} s"));
                continue;
            }
            var left = TtlElapsedRule.Remaining(loweredAt, TimeSpan.FromSeconds(memory.OriginalTtl), now);
            figures.Add(
                new ReadinessFigure(
                    "ttl",
                    $"{r.Name} {r.Type}",
                    left == TimeSpan.Zero,
                    $"TTL {ttl} s since {loweredAt:O} (was {memory.OriginalTtl} s); {left.TotalSeconds:0} s left"
                )
            );
            if (left > TimeSpan.Zero)
                reasons.Add(
                    new(
                        TtlNotElapsed,
                        $"{r.Name} {r.Type}: lowered to {ttl} s at {loweredAt:u}, resolvers may hold the old "
                            + $"{memory.OriginalTtl} s answer until {TtlElapsedRule.EffectiveAt(loweredAt, TimeSpan.FromSeconds(memory.OriginalTtl)):u} ({left.TotalSeconds:0} s left)"
                    )
                );
        }
        return reasons;
    }

    async Task<IReadOnlyList<DryRunResult>> DryRunsAsync(CutoverEnvironment e, CancellationToken ct)
    {
        if (e.IpStrategy == IpStrategy.Byoip)
            return e.ByoipCidr is { } cidr
                ? [await dryRun.DryRunAdvertiseAsync(e.Account.Id, cidr.ToString(), ct)]
                : [];
        var results = new List<DryRunResult>();
        foreach (var host in e.MtaHosts)
            if (host.Target.AllocationId is { } allocation)
                results.Add(
                    await dryRun.DryRunAssociateAsync(
                        e.Account.Id,
                        allocation,
                        AddressTarget.Instance(host.Target.InstanceId),
                        ct
                    )
                );
        return results;
    }
}
