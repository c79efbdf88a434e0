using CutoverEngine.Domain.Safety;

namespace CutoverEngine.Domain.Tests.Safety;

public class PauseCapsTests
{
    static readonly DateTimeOffset At = new(2026, 6, 11, 8, 0, 0, TimeSpan.Zero);

    static PauseClaim Claim(
        string owner,
        string environment,
        string customer = "acme",
        string account = "111111111111",
        bool production = false
    ) => new(owner, environment, customer, account, production, At);

    static SafetyOptions Options(int maxPaused = 0, bool oneProduction = true, int? accountCap = null) =>
        new()
        {
            MaxPausedEnvironments = maxPaused,
            OneProductionPausePerCustomer = oneProduction,
            Accounts = accountCap is { } cap ? new() { ["111111111111"] = new() { MaxPaused = cap } } : [],
        };

    [Fact]
    public void The_fleet_cap_holds_the_cutover_that_would_pause_one_too_many()
    {
        var claimed = new[] { Claim("c1", "acme-dev"), Claim("c2", "hooli-dev", "hooli") };

        var hold = PauseCaps.Hold(claimed, [Claim("c3", "globex-dev", "globex")], Options(maxPaused: 2));

        Assert.NotNull(hold);
        Assert.Equal("Safety:MaxPausedEnvironments", hold.Cap);
        Assert.Equal(2, hold.Limit);
        Assert.Null(hold.Scope);
        Assert.Equal(["acme-dev", "hooli-dev"], hold.HeldBy);
    }

    [Fact]
    public void Below_the_fleet_cap_the_cutover_pauses()
    {
        Assert.Null(PauseCaps.Hold([Claim("c1", "acme-dev")], [Claim("c2", "hooli-dev", "hooli")], Options(2)));
    }

    [Fact]
    public void No_fleet_cap_by_default_lets_any_number_pause()
    {
        var claimed = Enumerable.Range(0, 50).Select(i => Claim($"c{i}", $"env-{i}", $"customer-{i}")).ToList();

        Assert.Null(PauseCaps.Hold(claimed, [Claim("next", "env-next", "next")], new SafetyOptions()));
    }

    [Fact]
    public void A_cutovers_own_claim_never_counts_against_it()
    {
        var claimed = new[] { Claim("c1", "acme-dev"), Claim("c2", "hooli-dev", "hooli") };

        Assert.Null(PauseCaps.Hold(claimed, [Claim("c2", "hooli-dev", "hooli")], Options(maxPaused: 2)));
    }

    [Fact]
    public void A_range_group_counts_each_environment_it_pauses()
    {
        var group = new[] { Claim("g", "a-dev", "a"), Claim("g", "b-dev", "b") };

        var hold = PauseCaps.Hold([Claim("c1", "acme-dev")], group, Options(maxPaused: 2));

        Assert.Equal("Safety:MaxPausedEnvironments", hold?.Cap);
    }

    [Fact]
    public void A_range_group_larger_than_the_fleet_cap_pauses_when_nothing_else_is_paused()
    {
        var group = new[] { Claim("g", "a-dev", "a"), Claim("g", "b-dev", "b"), Claim("g", "c-dev", "c") };

        Assert.Null(PauseCaps.Hold([], group, Options(maxPaused: 2)));
    }

    [Fact]
    public void A_second_production_environment_of_one_customer_waits_for_the_first()
    {
        var hold = PauseCaps.Hold(
            [Claim("c1", "acme-prod", production: true)],
            [Claim("c2", "acme-prod-eu", production: true)],
            Options()
        );

        Assert.NotNull(hold);
        Assert.Equal("Safety:OneProductionPausePerCustomer", hold.Cap);
        Assert.Equal(1, hold.Limit);
        Assert.Equal("acme", hold.Scope);
        Assert.Equal(["acme-prod"], hold.HeldBy);
        Assert.Equal("Safety:OneProductionPausePerCustomer (acme)", hold.Reason);
    }

    [Fact]
    public void Production_environments_of_different_customers_pause_together()
    {
        Assert.Null(
            PauseCaps.Hold(
                [Claim("c1", "acme-prod", production: true)],
                [Claim("c2", "hooli-prod", "hooli", production: true)],
                Options()
            )
        );
    }

    [Fact]
    public void A_customers_staging_pauses_beside_its_paused_production()
    {
        Assert.Null(PauseCaps.Hold([Claim("c1", "acme-prod", production: true)], [Claim("c2", "acme-stg")], Options()));
    }

    [Fact]
    public void The_production_rule_can_be_switched_off()
    {
        Assert.Null(
            PauseCaps.Hold(
                [Claim("c1", "acme-prod", production: true)],
                [Claim("c2", "acme-prod-eu", production: true)],
                Options(oneProduction: false)
            )
        );
    }

    [Fact]
    public void An_accounts_cap_counts_only_that_accounts_environments()
    {
        var claimed = new[] { Claim("c1", "acme-dev"), Claim("c2", "hooli-dev", "hooli", account: "222222222222") };

        var hold = PauseCaps.Hold(claimed, [Claim("c3", "globex-dev", "globex")], Options(accountCap: 1));
        var elsewhere = PauseCaps.Hold(
            claimed,
            [Claim("c4", "wayne-dev", "wayne", account: "222222222222")],
            Options(accountCap: 1)
        );

        Assert.NotNull(hold);
        Assert.Equal("Safety:Accounts:111111111111:MaxPaused", hold.Cap);
        Assert.Equal("111111111111", hold.Scope);
        Assert.Equal(["acme-dev"], hold.HeldBy);
        Assert.Null(elsewhere);
    }

    [Fact]
    public void Settings_that_make_no_sense_are_named()
    {
        var options = new SafetyOptions
        {
            MaxPausedEnvironments = -1,
            Accounts = new() { ["12345"] = new() { MaxPaused = 0 } },
            HoldRetryInterval = TimeSpan.Zero,
        };

        var problems = options.Validate().ToList();

        Assert.Contains(
            problems,
            p => p.StartsWith("Safety:MaxPausedEnvironments must be 0", StringComparison.Ordinal)
        );
        Assert.Contains(
            problems,
            p => p.StartsWith("Safety:Accounts:12345: an AWS account id", StringComparison.Ordinal)
        );
        Assert.Contains(
            problems,
            p => p.StartsWith("Safety:Accounts:12345:MaxPaused must be at least 1", StringComparison.Ordinal)
        );
        Assert.Contains(problems, p => p.StartsWith("Safety:HoldRetryInterval", StringComparison.Ordinal));
        Assert.Empty(new SafetyOptions().Validate());
    }
}
