using CutoverEngine.Domain.Customers;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Tests.Inventory;

namespace CutoverEngine.Domain.Tests.Customers;

public sealed class CustomerDirectoryTests
{
    [Theory]
    [InlineData("Acme Corp", "acme-corp")]
    [InlineData("Société Générale — Zürich", "societe-generale-zurich")]
    [InlineData("  Acme: \"Ltd\" #1 ", "acme-ltd-1")]
    [InlineData("日本", "customer")]
    public void A_customer_id_is_its_name_folded_to_lower_case_ascii_and_hyphens(string name, string id) =>
        Assert.Equal(id, CustomerDirectory.IdOf(name));

    [Fact]
    public void The_directory_lists_each_customer_with_its_own_environments_only()
    {
        var inventory = InventoryLoader.Parse(InventorySample.ValidText, InventorySample.FileName).Inventory!;
        var directory = new CustomerDirectory(inventory);

        foreach (var id in directory.Ids)
        {
            var name = directory.NameOf(id)!;
            Assert.Equal(id, CustomerDirectory.IdOf(name));
            Assert.Equal(
                inventory.Environments.Where(e => e.Customer == name).Select(e => e.Id),
                directory.EnvironmentsOf(id).Select(e => e.Id)
            );
        }
        Assert.Equal(inventory.Environments.Select(e => e.Customer).Distinct().Count(), directory.Ids.Count());
        Assert.Null(directory.NameOf("nobody"));
        Assert.Empty(directory.EnvironmentsOf("nobody"));
    }

    [Fact]
    public void Two_customers_whose_names_fold_to_one_id_are_refused()
    {
        var inventory = InventoryLoader.Parse(InventorySample.ValidText, InventorySample.FileName).Inventory!;
        var twins = inventory with
        {
            Environments =
            [
                inventory.Environments[0] with
                {
                    Customer = "Acme Corp",
                },
                inventory.Environments[1] with
                {
                    Customer = "ACME  corp!",
                },
            ],
        };

        var e = Assert.Throws<InvalidOperationException>(() => new CustomerDirectory(twins));
        Assert.Contains("'Acme Corp' and 'ACME  corp!' share the id 'acme-corp'", e.Message);
    }
}
