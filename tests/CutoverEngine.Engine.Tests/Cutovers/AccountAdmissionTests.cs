using CutoverEngine.Aws;
using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Resilience;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.Admission;
using Microsoft.Extensions.Time.Testing;
using Options = Microsoft.Extensions.Options.Options;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>Admission to the pause on a fake clock: slots follow the account's quotas, zone siblings share a slot, the
/// wait precedes the pause.</summary>
public sealed class AccountAdmissionTests
{
    const string AccountA = "111111111111";
    const string AccountB = "222222222222";
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    readonly AdmissionOptions _o = new();

    static readonly AwsOptions Aws = new()
    {
        Accounts = [new AwsAccountOptions { Id = AccountA }, new AwsAccountOptions { Id = AccountB }],
    };
    AwsPipelineRegistry? _limiters;
    AwsPipelineRegistry Limiters => _limiters ??= new AwsPipelineRegistry(Options.Create(Aws), _clock);

    AccountAdmission Admission() =>
        new(Options.Create(new CutoverOptions { Admission = _o }), Options.Create(Aws), Limiters, _clock);

    static AdmissionRequest ElasticIp(string owner, string zone, string account = AccountA, int hosts = 1) =>
        new(owner, account, zone, Route53Changes: 1, Ec2Mutations: 2 * hosts, ByoipAdvertisements: 0);

    static AdmissionRequest Byoip(string owner, string account = AccountA) => new(owner, account, null, 0, 0, 1);

    DateTimeOffset Earliest => _clock.GetUtcNow() + _o.Lead + _o.GatherDelay;

    [Fact]
    public void A_cutover_pauses_its_lead_time_before_its_slot_and_the_first_slot_leaves_room_to_gather()
    {
        var slot = Admission().Reserve(ElasticIp("a", "Z1"));

        Assert.Equal(Earliest, slot.SlotAt);
        Assert.Equal(slot.SlotAt - _o.Lead, slot.PauseAt);
        Assert.Equal(_o.GatherDelay, slot.Wait);
        Assert.False(slot.JoinedZoneSlot);
    }

    [Fact]
    public void Changes_to_different_zones_of_one_account_are_paced_at_the_admitted_share_of_the_Route_53_rate()
    {
        var admission = Admission();

        var slots = Enumerable.Range(0, 10).Select(i => admission.Reserve(ElasticIp($"env-{i}", $"Z{i}"))).ToList();

        // 5 requests/s x 0.8 = one change every 250 ms; the Elastic-IP mutations (burst 40) do not bind here.
        var spacing = TimeSpan.FromSeconds(1 / (5 * _o.Route53Share));
        for (var i = 1; i < slots.Count; i++)
            Assert.Equal(spacing, slots[i].SlotAt - slots[i - 1].SlotAt);
        Assert.Equal("Route 53", slots[^1].Bound);
    }

    [Fact]
    public void Cutovers_of_one_zone_asking_before_its_slot_began_share_it_and_spend_no_further_Route_53_slot()
    {
        var admission = Admission();

        var first = admission.Reserve(ElasticIp("acme-dev", "ZACME"));
        var siblings = new[]
        {
            admission.Reserve(ElasticIp("acme-stg", "ZACME")),
            admission.Reserve(ElasticIp("acme-prd", "ZACME")),
        };
        var otherZone = admission.Reserve(ElasticIp("hooli-dev", "ZHOOLI"));

        Assert.All(siblings, s => Assert.Equal((first.SlotAt, true), (s.SlotAt, s.JoinedZoneSlot)));
        Assert.Equal(first.SlotAt + TimeSpan.FromSeconds(1 / (5 * _o.Route53Share)), otherZone.SlotAt);
    }

    [Fact]
    public void A_sibling_asking_after_its_zones_slot_began_gets_a_slot_of_its_own()
    {
        var admission = Admission();
        var first = admission.Reserve(ElasticIp("acme-dev", "ZACME"));

        _clock.SetUtcNow(first.PauseAt + TimeSpan.FromMilliseconds(1));
        var late = admission.Reserve(ElasticIp("acme-stg", "ZACME"));

        Assert.False(late.JoinedZoneSlot);
        Assert.True(late.SlotAt > first.SlotAt);
    }

    [Fact]
    public void Byoip_cutovers_are_spaced_at_the_account_advertise_rate_and_do_not_hold_up_Elastic_IP_cutovers()
    {
        var admission = Admission();

        var ranges = Enumerable.Range(0, 4).Select(i => admission.Reserve(Byoip($"byoip-{i}"))).ToList();
        var eip = admission.Reserve(ElasticIp("eip", "Z1"));

        var interval = TimeSpan.FromSeconds(1 / new AwsOptions().Resilience.Ec2Byoip.PermitsPerSecond);
        for (var i = 1; i < ranges.Count; i++)
            Assert.Equal(interval, ranges[i].SlotAt - ranges[i - 1].SlotAt);
        Assert.Equal("BYOIP", ranges[^1].Bound);
        Assert.Equal(Earliest, eip.SlotAt);
    }

    [Fact]
    public void Accounts_have_their_own_schedules()
    {
        var admission = Admission();

        var inA = Enumerable.Range(0, 3).Select(i => admission.Reserve(Byoip($"a-{i}", AccountA))).ToList();
        var inB = admission.Reserve(Byoip("b-0", AccountB));

        Assert.Equal(Earliest, inB.SlotAt);
        Assert.True(inA[^1].SlotAt > inB.SlotAt + TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_schedule_idle_for_a_while_starts_again_from_now_not_from_the_past()
    {
        var admission = Admission();
        admission.Reserve(Byoip("first"));

        _clock.Advance(TimeSpan.FromMinutes(5));
        var later = admission.Reserve(Byoip("later"));

        Assert.Equal(Earliest, later.SlotAt);
    }

    [Fact]
    public void The_live_quota_wait_shows_when_a_permit_was_taken_later_than_the_schedule_assumed()
    {
        var admission = Admission();
        var byoip = Byoip("late");
        Assert.Equal(TimeSpan.Zero, admission.LiveQuotaWait(byoip));

        // An advertisement goes out now: the next one in this account is one BYOIP interval away, whatever was
        // reserved.
        Limiters.Get(AwsOperations.AdvertiseByoipCidr, AccountA).Execute(() => { });

        var interval = TimeSpan.FromSeconds(1 / Aws.Resilience.Ec2Byoip.PermitsPerSecond);
        Assert.InRange(
            admission.LiveQuotaWait(byoip),
            interval - TimeSpan.FromMilliseconds(1),
            interval + TimeSpan.FromMilliseconds(1)
        );
        Assert.Equal(TimeSpan.Zero, admission.LiveQuotaWait(Byoip("other account", AccountB)));
        Assert.Equal(TimeSpan.Zero, admission.LiveQuotaWait(ElasticIp("eip", "Z1")));
    }

    [Fact]
    public void An_admitted_byoip_cutover_holds_the_next_advertisement_back_before_its_own_call_reaches_the_limiter()
    {
        var admission = Admission();
        var first = Byoip("first");
        admission.Reserve(first);
        admission.Reserve(Byoip("second"));

        admission.Admitted(first);

        var interval = TimeSpan.FromSeconds(1 / Aws.Resilience.Ec2Byoip.PermitsPerSecond);
        Assert.Equal(interval + _o.Lead, admission.LiveQuotaWait(Byoip("second")));
        Assert.Equal(TimeSpan.Zero, admission.LiveQuotaWait(ElasticIp("eip", "Z1")));
    }
}
