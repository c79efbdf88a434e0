using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Tests.Inventory;

public class InventorySelectTests
{
    static readonly CutoverEngine.Domain.Inventory.Inventory Sample = InventorySample
        .Parse(InventorySample.ValidText)
        .Inventory!;

    [Fact]
    public void Select_returns_the_environments_in_the_order_asked_for()
    {
        var selected = Sample.Select(["globex-prod", "acme-staging"]);

        Assert.Equal(["globex-prod", "acme-staging"], selected.Select(environment => environment.Id));
    }

    [Fact]
    public void Select_counts_a_repeated_id_once()
    {
        var selected = Sample.Select(["acme-staging", "acme-staging"]);

        Assert.Equal("acme-staging", Assert.Single(selected).Id);
    }

    [Fact]
    public void Select_with_an_unknown_id_fails_naming_it_and_the_known_ones()
    {
        var error = Assert.Throws<UnknownEnvironmentException>(() => Sample.Select(["acme-staging", "initech-prod"]));

        Assert.Equal(["initech-prod"], error.UnknownIds);
        Assert.Contains("'initech-prod'", error.Message);
        Assert.Contains("acme-staging, globex-prod", error.Message);
    }

    [Fact]
    public void Select_suggests_the_closest_id_for_a_typo()
    {
        var error = Assert.Throws<UnknownEnvironmentException>(() => Sample.Select(["acme-stagign", "globex-prdo"]));

        Assert.Equal(["acme-stagign", "globex-prdo"], error.UnknownIds);
        Assert.Contains("'acme-stagign' (did you mean 'acme-staging'?)", error.Message);
        Assert.Contains("'globex-prdo' (did you mean 'globex-prod'?)", error.Message);
    }

    [Fact]
    public void Select_is_case_sensitive()
    {
        Assert.Throws<UnknownEnvironmentException>(() => Sample.Select(["ACME-STAGING"]));
    }

    [Fact]
    public void Select_without_ids_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Sample.Select([]));
    }

    [Fact]
    public void FindEnvironment_returns_null_for_an_unknown_id()
    {
        Assert.Null(Sample.FindEnvironment("initech-prod"));
        Assert.Equal("globex-prod", Sample.FindEnvironment("globex-prod")?.Id);
    }
}
