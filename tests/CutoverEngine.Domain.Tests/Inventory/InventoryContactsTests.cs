using CutoverEngine.Domain.Inventory;
using static CutoverEngine.Domain.Tests.Inventory.InventorySample;

namespace CutoverEngine.Domain.Tests.Inventory;

/// <summary>Notice contacts: per customer (customers:) and per environment (contacts:).</summary>
public class InventoryContactsTests
{
    const string GlobexCustomers =
        "customers:\n  - name: Globex\n    contacts:\n      - ops@globex.example\n      - \"Zoë Ångström <zoe@globex.example>\"\nenvironments:\n";

    static string WithCustomers(string customers) => With("environments:\n", customers);

    static CutoverEngine.Domain.Inventory.Inventory Valid(string yaml)
    {
        var result = Parse(yaml);
        Assert.Empty(result.Errors);
        return result.Inventory!;
    }

    [Fact]
    public void An_environment_without_contacts_of_its_own_takes_its_customers()
    {
        var inventory = Valid(WithCustomers(GlobexCustomers));

        Assert.Equal(
            [new NoticeContact("ops@globex.example", null), new NoticeContact("zoe@globex.example", "Zoë Ångström")],
            inventory.FindEnvironment("globex-prod")!.Contacts
        );
        Assert.Empty(inventory.FindEnvironment("acme-staging")!.Contacts);
    }

    [Fact]
    public void An_environments_own_contacts_replace_its_customers()
    {
        var yaml = With(
            WithCustomers(GlobexCustomers),
            "    windowBudgetMinutes: 45\n",
            "    windowBudgetMinutes: 45\n    contacts: [\"\\\"Night shift\\\" <NOC@Globex.Example>\"]\n"
        );

        Assert.Equal(
            [new NoticeContact("NOC@globex.example", "Night shift")],
            Valid(yaml).FindEnvironment("globex-prod")!.Contacts
        );
    }

    [Theory]
    [InlineData("ops at globex.example")]
    [InlineData("Ops <ops@globex.example")]
    [InlineData("Ops <ops@-globex.example>")]
    [InlineData("O<p>s <ops@globex.example>")]
    [InlineData("Trésorerie <trésorerie@globex.example>")]
    public void A_contact_that_is_not_an_address_is_an_error_at_it(string contact)
    {
        var yaml = WithCustomers(
            $"customers:\n  - name: Globex\n    contacts:\n      - \"{contact}\"\nenvironments:\n"
        );

        var error = SingleError(yaml);

        AssertAt(
            error,
            PositionOf(yaml, $"\"{contact}\""),
            "customers[0].contacts[0]",
            $"'{contact}' is not a contact"
        );
    }

    [Fact]
    public void A_contact_listed_twice_is_an_error_at_the_second()
    {
        var yaml = WithCustomers(
            "customers:\n  - name: Globex\n    contacts:\n      - ops@globex.example\n      - Ops <OPS@globex.example>\nenvironments:\n"
        );

        var error = SingleError(yaml);

        AssertAt(
            error,
            PositionOf(yaml, "Ops <OPS"),
            "customers[0].contacts[1]",
            "listed twice",
            $"line {PositionOf(yaml, "ops@globex").Line}"
        );
    }

    [Fact]
    public void An_empty_contacts_list_is_an_error()
    {
        var yaml = With("    windowBudgetMinutes: 45\n", "    windowBudgetMinutes: 45\n    contacts: []\n");

        var error = SingleError(yaml);

        AssertAt(error, PositionOf(yaml, "[]"), "environments[1].contacts", "at least one contact");
    }

    [Fact]
    public void A_customer_no_environment_belongs_to_is_an_error_with_a_hint()
    {
        var yaml = WithCustomers("customers:\n  - name: Globexx\n    contacts: [ops@globex.example]\nenvironments:\n");

        var error = SingleError(yaml);

        AssertAt(
            error,
            PositionOf(yaml, "Globexx"),
            "customers[0].name",
            "no environment has customer 'Globexx'",
            "did you mean 'Globex'?"
        );
    }

    [Fact]
    public void A_customer_listed_twice_is_an_error()
    {
        var yaml = WithCustomers(
            "customers:\n  - name: Globex\n    contacts: [a@globex.example]\n  - name: Globex\n    contacts: [b@globex.example]\nenvironments:\n"
        );

        var error = SingleError(yaml);

        AssertAt(
            error,
            PositionOf(yaml, "Globex\n", occurrence: 1),
            "customers[1].name",
            "customer 'Globex' is already used by customers[0]"
        );
    }
}
