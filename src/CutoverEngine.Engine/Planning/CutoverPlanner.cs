using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Sending.SendingControl;
using CutoverEngine.Sending.Verification;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Planning;

/// <summary>What a cutover of one environment would do, read from live state; nothing is changed to find out.</summary>
public sealed record CutoverPlan(
    string EnvironmentId,
    string Summary,
    IReadOnlyList<string> Changes,
    IReadOnlyList<string> Observations,
    IReadOnlyList<PlanWarning> Warnings
)
{
    /// <summary>The range group the environment moves with, and the other environments it moves; null alone.</summary>
    public PlannedRangeGroup? RangeGroup { get; init; }
}

/// <summary>A range group as the plan shows it: its range, who announces it now, and its environments in the order
/// the one cutover takes them (the lead first).</summary>
public sealed record PlannedRangeGroup(
    string Name,
    string Range,
    string? AnnouncedBy,
    IReadOnlyList<string> Environments
);

/// <summary>A reason to look twice before the cutover, with the number that makes it one.</summary>
public sealed record PlanWarning(string Code, string Message);

/// <summary>
/// `cutover plan`: reads records, associations, BYOIP state, reverse DNS, SPF and the old MTAs' banners, and
/// lists per environment the changes a cutover would make and the warnings (high TTLs, drift from the inventory,
/// MTAs that do not answer, addresses SPF would refuse, new IPs without reputation). Read-only calls only.
/// </summary>
public sealed class CutoverPlanner(
    IRoute53Gateway route53,
    IElasticIpGateway elasticIps,
    IByoipGateway byoip,
    ISendingControl sending,
    MtaChecks checks,
    IOptions<VerificationOptions> verification,
    CutoverEngine.Aws.Identity.IAwsCallerIdentity identity
)
{
    /// <summary>The warning code of credentials that act in another account than the inventory's.</summary>
    public const string IdentityMismatchCode = "identity-mismatch";

    /// <summary>A TTL above this means resolvers may keep the old answer for too long after the change.</summary>
    public static readonly TimeSpan TtlWarningThreshold = TimeSpan.FromSeconds(300);

    /// <summary>Who announces a range in each BYOIP state: the data centre until AWS advertises it.</summary>
    public static string AnnouncerOf(string state) =>
        state switch
        {
            "provisioned" or "pending-advertising" => "the data centre (the customer's own BGP announcement)",
            "advertised" or "pending-withdrawal" => "AWS",
            _ => $"nobody known (state {state})",
        };

    /// <summary>The warning of moving to Elastic IPs, which have no sending reputation yet (plan and
    /// readiness).</summary>
    public static string WarmUpWarning(int addresses) =>
        $"{addresses} new sending address(es): new IPs need weeks of reputation warm-up before full volume";

    public Task<CutoverPlan> PlanAsync(CutoverEnvironment e, CancellationToken ct) => PlanAsync(e, [e], ct);

    /// <param name="move">The environments that move with <paramref name="e"/> in one cutover (its range group, lead
    /// first, <see cref="Domain.Waves.WaveSequence.Moves"/>), or just it.</param>
    public async Task<CutoverPlan> PlanAsync(
        CutoverEnvironment e,
        IReadOnlyList<CutoverEnvironment> move,
        CancellationToken ct
    )
    {
        ArgumentNullException.ThrowIfNull(move);
        var changes = new List<string>();
        var seen = new List<string>();
        var warnings = new List<PlanWarning>();
        var account = e.Account.Id;
        var byoipStrategy = e.IpStrategy == IpStrategy.Byoip;
        var rewritten = CutoverRecords.ChangedBy(e).Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Nothing read with another account's credentials says anything about this one: stop here.
        var caller = await identity.GetAsync(account, ct);
        if (caller.Account != account)
            return new CutoverPlan(
                e.Id,
                $"{e.Id}: not planned, the credentials for account {account} act in account {caller.Account}",
                [],
                [],
                [
                    new(
                        IdentityMismatchCode,
                        CutoverEngine.Engine.Cutovers.AccountIdentityCheck.Describe(account, caller)
                    ),
                ]
            );

        foreach (var host in e.MtaHosts)
        {
            var live = await route53.FindRecordSetAsync(account, e.HostedZone.Id, host.Name, "A", ct);
            var current = host.CurrentAddress.ToString();
            var target = host.Target.Address.ToString();
            if (live is null)
            {
                warnings.Add(
                    new(
                        "record-missing",
                        $"{host.Name}: no A record in zone {e.HostedZone.Name}; preflight will refuse"
                    )
                );
                continue;
            }
            var values = string.Join(",", live.Values);
            seen.Add($"{host.Name} A {values} (TTL {live.Ttl} s)");
            if (values == target && !byoipStrategy)
                warnings.Add(
                    new(
                        "already-moved",
                        $"{host.Name} already resolves to the target {target}: has this environment been cut over?"
                    )
                );
            else if (values != current)
                warnings.Add(
                    new(
                        "drift",
                        $"{host.Name}: live A record is {values}, the inventory says {current}; preflight will refuse"
                    )
                );
            if (live.Ttl is { } ttl && ttl > TtlWarningThreshold.TotalSeconds)
                warnings.Add(
                    new(
                        "high-ttl",
                        $"{host.Name}: TTL {ttl} s: resolvers may keep sending to the old address up to {ttl} s ({ttl / 60.0:0.#} min) after the change; lower it to 60 s days before"
                    )
                );
            if (rewritten.Contains(host.Name) && values != target)
                changes.Add($"UPSERT {host.Name} A {values} -> {target} (TTL {live.Ttl})");
        }

        string? announcedBy = null;
        // A range group's range is its lead's (the widest): that is the one provisioned and advertised.
        var advertisedCidr = move.Count > 1 ? move[0].ByoipCidr : e.ByoipCidr;
        if (byoipStrategy)
        {
            var range = (await byoip.DescribeRangesAsync(account, ct)).FirstOrDefault(r =>
                r.Cidr == advertisedCidr?.ToString()
            );
            if (range is null)
                warnings.Add(
                    new("range-missing", $"BYOIP range {advertisedCidr} is not provisioned in account {account}")
                );
            else
            {
                announcedBy = AnnouncerOf(range.State);
                seen.Add($"BYOIP range {range.Cidr} is {range.State}: announced by {announcedBy}");
                if (range.State == "provisioned")
                    changes.Add(
                        $"ADVERTISE {range.Cidr} from AWS (BGP takes minutes), then the AWS MTAs answer on the same addresses"
                    );
                else
                    warnings.Add(new("range-state", $"BYOIP range {range.Cidr} is {range.State}, not provisioned"));
            }
        }
        else
        {
            var allocations = e.MtaHosts.Select(h => h.Target.AllocationId!).ToList();
            var eips = await elasticIps.DescribeAddressesAsync(account, allocations, cancellationToken: ct);
            foreach (var host in e.MtaHosts)
            {
                var eip = eips.FirstOrDefault(x => x.AllocationId == host.Target.AllocationId);
                if (eip is null)
                {
                    warnings.Add(new("eip-missing", $"{host.Name}: Elastic IP {host.Target.AllocationId} not found"));
                    continue;
                }
                seen.Add(
                    $"{eip.AllocationId} {eip.PublicIp} {(eip.IsAssociated ? $"associated to {eip.InstanceId}" : "not associated")}"
                );
                if (eip.PublicIp != host.Target.Address.ToString())
                    warnings.Add(
                        new(
                            "eip-address",
                            $"{host.Name}: {eip.AllocationId} is {eip.PublicIp}, the inventory says {host.Target.Address}"
                        )
                    );
                if (eip.IsAssociated && eip.InstanceId != host.Target.InstanceId)
                    warnings.Add(
                        new(
                            "eip-in-use",
                            $"{host.Name}: {eip.PublicIp} is associated to {eip.InstanceId}; preflight will refuse to take it away"
                        )
                    );
                else if (!eip.IsAssociated)
                    changes.Add($"ASSOCIATE {eip.AllocationId} ({eip.PublicIp}) -> {host.Target.InstanceId}");
                var ptr = await elasticIps.GetReverseDnsAsync(account, eip.AllocationId, ct);
                if (!ptr.Names(host.Target.EhloName))
                    changes.Add(
                        $"SET PTR {eip.PublicIp} -> {host.Target.EhloName} (now {ptr.PtrRecord ?? "AWS default"})"
                    );
            }
            warnings.Add(new("new-ips", WarmUpWarning(e.MtaHosts.Count)));
        }

        // The old MTAs must answer now; the new ones can only be reached once their addresses have moved.
        foreach (var host in e.MtaHosts)
        {
            try
            {
                await using var smtp = await SmtpConversation.OpenAsync(
                    host.CurrentAddress,
                    verification.Value.SmtpPort,
                    verification.Value.SmtpTimeout,
                    ct
                );
                seen.Add($"old MTA {host.CurrentAddress}: {smtp.Greeting}");
            }
            catch (SmtpProbeException x)
            {
                warnings.Add(
                    new(
                        "old-mta-silent",
                        $"{host.Name}: the current MTA at {host.CurrentAddress} does not answer SMTP ({x.Message})"
                    )
                );
            }
        }

        var spf = await checks.SpfAsync(
            e.HostedZone.Name,
            e.SendingDomain,
            [.. e.MtaHosts.Select(h => h.Target.Address)],
            ct
        );
        seen.Add($"SPF of {e.SendingDomain}: {spf.Observed}");
        if (!spf.Passed)
            warnings.Add(new("spf", $"SPF of {e.SendingDomain} would not pass the new addresses: {spf.Observed}"));

        try
        {
            var status = await sending.GetStatusAsync(Cutovers.CutoverSubject.ControlAddress(e), ct);
            seen.Add($"sending control: {(status.Paused ? "PAUSED" : "sending")}, queue {status.QueueDepth}");
            if (status.Paused)
                warnings.Add(new("already-paused", $"sending is already paused (since {status.PausedAt:O})"));
        }
        catch (SendingControlException x)
        {
            warnings.Add(new("sending-control", $"the sending control does not answer: {x.Message}"));
        }

        changes.Insert(0, $"PAUSE sending at {e.SendingControl} (lease, renewed while healthy)");
        changes.Add("VERIFY authoritative DNS, forward-confirmed reverse DNS, SMTP banner, SPF, test message");
        changes.Add("RESUME sending");
        var summary =
            $"{e.Id} ({e.Tier.ToWireName()}, {e.Offering.ToWireName()}, {e.IpStrategy.ToWireName()}, account {account}, zone {e.HostedZone.Name})";
        PlannedRangeGroup? group = null;
        if (move.Count > 1)
        {
            var others = move.Where(m => m.Id != e.Id).Select(m => $"{m.Id} ({m.Customer})").ToList();
            group = new PlannedRangeGroup(
                e.RangeGroup ?? "",
                advertisedCidr?.ToString() ?? "",
                announcedBy,
                [.. move.Select(m => m.Id)]
            );
            summary += $", range group {group.Name} with {string.Join(", ", others)}";
            changes.Insert(
                0,
                $"ONE CUTOVER for range group {group.Name}: {string.Join(", ", group.Environments)} paused together, "
                    + $"{group.Range} advertised once, each verified, all resumed (or all rolled back)"
            );
        }
        return new CutoverPlan(e.Id, summary, changes, seen, warnings) { RangeGroup = group };
    }
}
