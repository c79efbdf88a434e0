using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;

namespace CutoverEngine.Domain.Tests.Waves;

/// <summary>The approval rule alone: who counts, for what, and how many the tiers need.</summary>
public class ApprovalRuleTests
{
    static readonly DateTimeOffset At = new(2026, 6, 11, 8, 0, 0, TimeSpan.Zero);
    static readonly ApprovalOptions Defaults = new();

    static CutoverEnvironment Env(string id, Tier tier, int? budgetMinutes = null) =>
        SampleEnvironments.Env(id, tier, budgetMinutes);

    static Wave Scheduled(params string[] environments) =>
        new("w1", environments, At, 2, WaveOrder.Tier, WaveState.Scheduled, At, null);

    static WaveApproval By(string actor, Wave wave, int minute = 0) =>
        new(actor, ApprovalRule.PersonOf(actor), "ok", At.AddMinutes(minute), ApprovalRule.Terms(wave));

    [Theory]
    [InlineData("api:alice", "alice")]
    [InlineData("cli:alice", "alice")]
    [InlineData("scheduler", "scheduler")]
    public void A_person_is_the_name_behind_the_channel(string actor, string person) =>
        Assert.Equal(person, ApprovalRule.PersonOf(actor));

    [Fact]
    public void The_highest_tier_sets_how_many_are_needed()
    {
        Assert.Equal(
            (2, Tier.Production),
            ApprovalRule.Required([Env("a", Tier.Staging), Env("b", Tier.Production)], Defaults)
        );
        Assert.Equal((0, Tier.Staging), ApprovalRule.Required([Env("a", Tier.Staging)], Defaults));
        Assert.Equal((1, Tier.Staging), ApprovalRule.Required([Env("a", Tier.Staging)], new() { Staging = 1 }));
        Assert.Equal((0, null), ApprovalRule.Required([Env("a", Tier.Development)], Defaults));
    }

    [Fact]
    public void Only_current_terms_from_distinct_people_other_than_the_creator_count()
    {
        var wave = Scheduled("acme-prod");
        var approvals = new[]
        {
            By("api:alice", wave), // the creator
            By("api:bob", wave, 1),
            By("cli:bob", wave, 2), // bob again, through the CLI
            By("api:carol", wave with { Parallel = 1 }, 3), // given for another parallel
        };
        var valid = ApprovalRule.Valid(wave, "api:alice", approvals);
        Assert.Equal(["bob"], valid.Select(a => a.Person));
        Assert.Equal(At.AddMinutes(1), valid[0].At);
        var missing = Assert.Single(
            ApprovalRule.Missing(wave, [Env("acme-prod", Tier.Production)], "api:alice", approvals, Defaults)
        );
        Assert.Contains("1 more production approval(s)", missing, StringComparison.Ordinal);
        Assert.Contains("it has 1", missing, StringComparison.Ordinal);

        Assert.Empty(
            ApprovalRule.Missing(
                wave,
                [Env("acme-prod", Tier.Production)],
                "api:alice",
                [.. approvals, By("api:carol", wave, 4)],
                Defaults
            )
        );
    }

    [Fact]
    public void Any_change_of_environments_order_parallel_or_time_changes_the_terms()
    {
        var wave = Scheduled("a", "b");
        var terms = ApprovalRule.Terms(wave);
        Assert.NotEqual(terms, ApprovalRule.Terms(wave with { Environments = ["b", "a"] }));
        Assert.NotEqual(terms, ApprovalRule.Terms(wave with { Environments = ["a"] }));
        Assert.NotEqual(terms, ApprovalRule.Terms(wave with { Order = WaveOrder.Explicit }));
        Assert.NotEqual(terms, ApprovalRule.Terms(wave with { Parallel = 3 }));
        Assert.NotEqual(terms, ApprovalRule.Terms(wave with { ScheduledFor = At.AddHours(1) }));
        // The state is not part of what was approved: a wave stopped and resumed keeps its approvals.
        Assert.Equal(terms, ApprovalRule.Terms(wave with { State = WaveState.Running }));
    }

    [Fact]
    public void The_creator_and_a_missing_reason_are_refused()
    {
        var wave = Scheduled("acme-prod");
        Assert.Throws<WaveStateException>(() => ApprovalRule.RequireApprovable(wave, "api:alice", "cli:alice", "x"));
        Assert.Throws<ArgumentException>(() => ApprovalRule.RequireApprovable(wave, "api:alice", "api:bob", ""));
        Assert.Throws<WaveStateException>(() =>
            ApprovalRule.RequireApprovable(wave with { State = WaveState.Completed }, "api:alice", "api:bob", "x")
        );
        ApprovalRule.RequireApprovable(wave, "api:alice", "api:bob", "x");
    }
}
