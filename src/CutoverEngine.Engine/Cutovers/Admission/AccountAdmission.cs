using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Resilience;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Engine.Cutovers.Admission;

/// <summary>
/// Virtual schedules per account and quota (the same GCRA arithmetic as the rate limiters, at a share of their rate),
/// so that the sum of admitted work never runs ahead of what the account's quotas can serve. Admission serializes no
/// more than the quotas do: a slot is as early as the busiest of the cutover's quotas allows, never later. In memory:
/// after a restart, cutovers not yet paused reserve again (the rate limiters still hold the quotas either way).
/// </summary>
public sealed class AccountAdmission(
    IOptions<CutoverOptions> options,
    IOptions<AwsOptions> aws,
    AwsPipelineRegistry limiters,
    TimeProvider clock
) : ICutoverAdmission
{
    readonly AdmissionOptions _o = options.Value.Admission;
    readonly AwsResilienceOptions _quotas = aws.Value.Resilience;
    readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    readonly Lock _gate = new();

    public AdmissionSlot Reserve(AdmissionRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (!_accounts.TryGetValue(r.Account, out var account))
                _accounts[r.Account] = account = new Account(now);
            // The earliest slot leaves room for the pause itself and for siblings asking at the same moment to join.
            var earliest = now + _o.Lead + _o.GatherDelay;

            var ec2 = account.Schedule(AwsBudget.Ec2Mutating, _quotas.Ec2Mutating, _o.Ec2MutatingShare);
            if (
                r.HostedZoneId is { } zone
                && r.Route53Changes > 0
                && account.ZoneSlots.TryGetValue(zone, out var open)
                && open - _o.Lead > now
                && ec2.EarliestFor(r.Ec2Mutations, earliest) <= open + _o.JoinTolerance
            )
            {
                // The zone's slot has not begun: join it; its one batch carries this change too.
                ec2.Take(r.Ec2Mutations, open);
                return new AdmissionSlot(now, open, open - _o.Lead, JoinedZoneSlot: true, "zone slot");
            }

            var needs = new List<(Schedule Schedule, int Permits, string Name)>();
            if (r.Route53Changes > 0)
                needs.Add(
                    (
                        account.Schedule(AwsBudget.Route53, _quotas.Route53, _o.Route53Share, burst: 1),
                        r.Route53Changes,
                        "Route 53"
                    )
                );
            if (r.Ec2Mutations > 0)
                needs.Add((ec2, r.Ec2Mutations, "EC2 mutations"));
            if (r.ByoipAdvertisements > 0)
                needs.Add(
                    (
                        account.Schedule(AwsBudget.Ec2Byoip, _quotas.Ec2Byoip, _o.ByoipShare),
                        r.ByoipAdvertisements,
                        "BYOIP"
                    )
                );
            var slot = earliest;
            var bound = "lead time";
            foreach (var (schedule, permits, name) in needs)
            {
                var at = schedule.EarliestFor(permits, earliest);
                if (at > slot)
                    (slot, bound) = (at, name);
            }
            foreach (var (schedule, permits, _) in needs)
                schedule.Take(permits, slot);
            if (r.HostedZoneId is { } z && r.Route53Changes > 0)
                account.ZoneSlots[z] = slot;
            return new AdmissionSlot(now, slot, slot - _o.Lead, JoinedZoneSlot: false, bound);
        }
    }

    public TimeSpan LiveQuotaWait(AdmissionRequest r)
    {
        var wait = TimeSpan.Zero;
        void Consider(bool needed, AwsBudget budget)
        {
            if (needed && limiters.UrgentPermitWait(r.Account, budget) is var w && w > wait)
                wait = w;
        }
        Consider(r.Route53Changes > 0, AwsBudget.Route53);
        Consider(r.Ec2Mutations > 0, AwsBudget.Ec2Mutating);
        Consider(r.ByoipAdvertisements > 0, AwsBudget.Ec2Byoip);
        if (r.ByoipAdvertisements > 0)
            lock (_gate)
                if (
                    _accounts.TryGetValue(r.Account, out var account)
                    && account.ByoipClaim is { } claim
                    && claim + ByoipInterval - clock.GetUtcNow() is var claimed
                    && claimed > wait
                )
                    wait = claimed;
        return wait;
    }

    public void Admitted(AdmissionRequest r)
    {
        if (r.ByoipAdvertisements == 0)
            return;
        lock (_gate)
            if (_accounts.TryGetValue(r.Account, out var account))
                account.ByoipClaim = clock.GetUtcNow() + _o.Lead;
    }

    TimeSpan ByoipInterval => TimeSpan.FromSeconds(1 / (_quotas.Ec2Byoip.PermitsPerSecond * _o.ByoipShare));

    sealed class Account(DateTimeOffset start)
    {
        readonly Dictionary<AwsBudget, Schedule> _schedules = [];
        public Dictionary<string, DateTimeOffset> ZoneSlots { get; } = new(StringComparer.Ordinal);

        /// <summary>When the last admitted BYOIP cutover is expected to advertise (its call may not have reached the
        /// limiter yet).</summary>
        public DateTimeOffset? ByoipClaim { get; set; }

        /// <param name="burst">The schedule's burst; default the limiter's. Route 53 changes are admitted evenly spaced
        /// (burst 1), since reads and confirmations draw on the same small bucket.</param>
        public Schedule Schedule(AwsBudget budget, AwsRateLimitOptions rate, double share, int? burst = null)
        {
            if (!_schedules.TryGetValue(budget, out var s))
                _schedules[budget] = s = new Schedule(
                    TimeSpan.FromSeconds(1 / (rate.PermitsPerSecond * share)),
                    burst ?? rate.Burst,
                    start
                );
            return s;
        }
    }

    /// <summary>A token bucket kept as its theoretical arrival time: a permit is free at <c>tat - (burst - 1) *
    /// interval</c>.</summary>
    sealed class Schedule(TimeSpan interval, int burst, DateTimeOffset start)
    {
        DateTimeOffset _tat = start;
        readonly TimeSpan _tolerance = interval * (burst - 1);

        /// <summary>The earliest instant at or after <paramref name="notBefore"/> when <paramref name="permits"/> fit
        /// the bucket.</summary>
        public DateTimeOffset EarliestFor(int permits, DateTimeOffset notBefore)
        {
            // As many of the permits as the bucket can hold must be there at once; any beyond come one interval apart
            // anyway.
            var free = _tat - _tolerance + interval * (Math.Min(permits, burst) - 1);
            return free > notBefore ? free : notBefore;
        }

        public void Take(int permits, DateTimeOffset at) => _tat = (_tat > at ? _tat : at) + interval * permits;
    }
}
