using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class WavePolicyTests
{
    [Fact]
    public async Task Staging_wave_without_notice_is_refused_naming_the_environment()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync(
            "w1",
            ["acme-stg", "acme-dev"],
            WaveWorld.T0.AddDays(10),
            2,
            WaveOrder.Tier,
            "alice"
        );
        var e = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "alice")
        );
        Assert.Equal(["acme-stg", "acme-dev"], e.Violations.Select(v => v.EnvironmentId));
        Assert.All(e.Violations, v => Assert.Equal(NoticePolicy.Rule, v.Rule));
        Assert.Contains("never notified", e.Message);
        Assert.Equal(WaveState.Draft, (await w.Store.GetAsync("w1")).State);
    }

    [Fact]
    public async Task Staging_notice_of_seven_days_is_enough_six_days_is_not()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync("w1", ["acme-stg"], WaveWorld.T0.AddDays(7), 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        var short_ = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(7).AddMinutes(-1), "alice")
        );
        Assert.Contains("acme-stg", short_.Message);
        Assert.Contains("7 d required", short_.Message);
        var scheduled = await w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(7), "alice");
        Assert.Equal(WaveState.Scheduled, scheduled.State);
    }

    [Fact]
    public async Task Production_needs_thirty_days_and_staging_cut_over_first()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync(
            "w1",
            ["acme-prod", "solo-prod"],
            WaveWorld.T0.AddDays(20),
            1,
            WaveOrder.Tier,
            "alice"
        );
        await w.NotifyAllAsync("w1");
        var e = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(20), "alice")
        );
        Assert.Contains(e.Violations, v => v is { EnvironmentId: "acme-prod", Rule: NoticePolicy.Rule });
        Assert.Contains(
            e.Violations,
            v => v is { EnvironmentId: "acme-prod", Rule: StagingFirstRule.Rule } && v.Message.Contains("acme-stg")
        );
        Assert.Contains(
            e.Violations,
            v => v is { EnvironmentId: "solo-prod", Rule: StagingFirstRule.Rule } && v.Message.Contains("no staging")
        );

        // 30 days and a successful staging cutover: acme-prod passes; solo-prod still has no staging.
        await w.Store.RecordCutoverAsync("earlier", "acme-stg", "wf-1", "completed");
        var again = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(30), "alice")
        );
        Assert.Equal(["solo-prod"], again.Violations.Select(v => v.EnvironmentId));
    }

    [Fact]
    public async Task Refusal_counts_environments_and_each_rule_apart()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync(
            "w1",
            ["acme-prod", "solo-prod"],
            WaveWorld.T0.AddDays(20),
            1,
            WaveOrder.Tier,
            "alice"
        );
        await w.NotifyAllAsync("w1");
        var e = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(20), "alice")
        );
        // Four violations (each production environment: 20 d of 30 d notice, and no staging cut over) of two
        // environments: the count names the environments, then each rule's share.
        Assert.Equal(4, e.Violations.Count);
        Assert.StartsWith(
            "Refused to schedule wave 'w1': 2 environments break the policy: 2 notice, 2 staging-first:",
            e.Message
        );
    }

    [Fact]
    public async Task Failed_staging_cutover_does_not_count()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync("w1", ["acme-prod"], WaveWorld.T0.AddDays(31), 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        await w.Store.RecordCutoverAsync("earlier", "acme-stg", "wf-1", "rolled-back");
        var e = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(31), "alice")
        );
        Assert.Equal(StagingFirstRule.Rule, Assert.Single(e.Violations).Rule);
    }

    [Fact]
    public async Task Override_needs_a_reason_and_is_kept_for_audit()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync("w1", ["acme-prod"], WaveWorld.T0.AddDays(2), 1, WaveOrder.Tier, "alice");
        await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(2), "alice", overrideReason: "  ")
        );
        var wave = await w.Service.ScheduleAsync(
            "w1",
            WaveWorld.T0.AddDays(2),
            "bob",
            overrideReason: "customer asked for an emergency move, ticket 4711"
        );
        Assert.Equal(WaveState.Scheduled, wave.State);
        var kept = Assert.Single(await w.Store.OverridesAsync("w1"));
        Assert.Equal("bob", kept.Override.Actor);
        Assert.Equal("customer asked for an emergency move, ticket 4711", kept.Override.Reason);
        Assert.Equal("schedule", kept.Operation);
        Assert.Contains(kept.Violations, v => v.Rule == StagingFirstRule.Rule);
        Assert.Contains(kept.Violations, v => v.Rule == NoticePolicy.Rule);
        Assert.Contains("wave-policy-overridden", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task Starting_now_is_checked_against_now_and_can_be_overridden()
    {
        await using var w = new WaveWorld();
        await w.Service.CreateAsync("w1", ["acme-dev"], WaveWorld.T0.AddDays(7), 1, WaveOrder.Tier, "alice");
        await w.NotifyAllAsync("w1");
        var e = await Assert.ThrowsAsync<PolicyRefusedException>(() => w.Service.StartNowAsync("w1", "alice"));
        Assert.Equal("acme-dev", Assert.Single(e.Violations).EnvironmentId);
        Assert.Empty(w.Starter.Started);
        await w.Service.StartNowAsync("w1", "alice", overrideReason: "dev only, customer agreed by phone");
        Assert.Equal([("w1", "alice")], w.Starter.Started);
        Assert.Equal("start", Assert.Single(await w.Store.OverridesAsync("w1")).Operation);
    }

    [Fact]
    public async Task Configured_notice_periods_apply()
    {
        var policy = new NoticePolicy(new NoticePolicyOptions { StagingNotice = TimeSpan.FromDays(2) });
        var env = WaveWorld.Env("x-stg", "x", Domain.Inventory.Tier.Staging);
        var notified = new Dictionary<string, DateTimeOffset> { ["x-stg"] = WaveWorld.T0 };
        Assert.Empty(policy.Check([env], WaveWorld.T0.AddDays(2), notified));
        Assert.Single(policy.Check([env], WaveWorld.T0.AddDays(1), notified));
    }
}
