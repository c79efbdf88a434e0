using System.Net;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Tests.Inventory;

public class InventoryLoaderValidTests
{
    static CutoverEngine.Domain.Inventory.Inventory LoadSample()
    {
        var result = InventorySample.Parse(InventorySample.ValidText);
        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        return result.Inventory;
    }

    [Fact]
    public void Valid_file_yields_its_accounts_in_file_order()
    {
        var inventory = LoadSample();

        Assert.Equal(1, inventory.Version);
        Assert.Equal(
            [
                new AwsAccount("111111111111", "mail-sandbox", "us-east-1", null),
                new AwsAccount("222222222222", "mail-production", "eu-west-1", "cutover-prod"),
            ],
            inventory.Accounts
        );
    }

    [Fact]
    public void Elastic_ip_environment_is_read_field_by_field()
    {
        var acme = LoadSample().Environments[0];

        Assert.Equal("acme-staging", acme.Id);
        Assert.Equal("Acme Corp", acme.Customer);
        Assert.Equal(Tier.Staging, acme.Tier);
        Assert.Equal(Offering.V7Hosted, acme.Offering);
        Assert.Equal(new AwsAccount("111111111111", "mail-sandbox", "us-east-1", null), acme.Account);
        Assert.Equal(new HostedZoneRef("Z0ACME00000000001", "acme-mail.example"), acme.HostedZone);
        Assert.Equal("acme-mail.example", acme.SendingDomain);
        Assert.Equal(new Uri("http://127.0.0.1:8601/environments/acme-staging"), acme.SendingControl);
        Assert.Equal(IpStrategy.ElasticIp, acme.IpStrategy);
        Assert.Null(acme.ByoipCidr);
        Assert.Null(acme.WindowBudget);
        Assert.Equal(new TestMessageSpec("probe@acme-mail.example", "postmaster@acme-mail.example"), acme.TestMessage);
        Assert.Equal(
            [
                new MtaHost(
                    "mta1.acme-mail.example",
                    IPAddress.Parse("127.10.1.11"),
                    new MtaTarget(
                        "i-0a1b2c3d4e5f60001",
                        "eipalloc-0a1b2c3d4e5f60001",
                        IPAddress.Parse("127.20.1.11"),
                        "mta1.acme-mail.example"
                    )
                ),
                new MtaHost(
                    "mta2.acme-mail.example",
                    IPAddress.Parse("127.10.1.12"),
                    new MtaTarget(
                        "i-0a1b2c3d4e5f60002",
                        "eipalloc-0a1b2c3d4e5f60002",
                        IPAddress.Parse("127.20.1.12"),
                        "out2.acme-mail.example"
                    )
                ),
            ],
            acme.MtaHosts
        );
    }

    [Fact]
    public void Region_defaults_to_the_accounts_region()
    {
        Assert.Equal("us-east-1", LoadSample().Environments[0].Region);
    }

    [Fact]
    public void Region_given_on_the_environment_overrides_the_accounts()
    {
        Assert.Equal("eu-central-1", LoadSample().Environments[1].Region);
    }

    [Fact]
    public void Ehlo_name_defaults_to_the_host_name()
    {
        var host = LoadSample().Environments[0].MtaHosts[0];

        Assert.Equal(host.Name, host.Target.EhloName);
    }

    [Fact]
    public void Dns_names_are_lower_cased_without_trailing_dot()
    {
        Assert.Equal("mta2.acme-mail.example", LoadSample().Environments[0].MtaHosts[1].Name);
    }

    [Fact]
    public void Byoip_environment_keeps_its_range_addresses_and_budget()
    {
        var globex = LoadSample().Environments[1];

        Assert.Equal(IpStrategy.Byoip, globex.IpStrategy);
        Assert.Equal(Tier.Production, globex.Tier);
        Assert.Equal(Offering.ManagedServices, globex.Offering);
        Assert.Equal(IPNetwork.Parse("127.30.1.0/24"), globex.ByoipCidr);
        Assert.Equal(TimeSpan.FromMinutes(45), globex.WindowBudget);
        Assert.Null(globex.TestMessage);
        var target = Assert.Single(globex.MtaHosts).Target;
        Assert.Null(target.AllocationId);
        Assert.Equal(IPAddress.Parse("127.30.1.11"), target.Address);
        Assert.Equal(new Uri("https://control.globex.example:8443/environments/globex-prod"), globex.SendingControl);
    }

    [Fact]
    public void Unquoted_account_ids_are_read_as_their_digits()
    {
        var yaml = InventorySample.With("  - id: \"222222222222\"", "  - id: 022222222222");
        yaml = InventorySample.With(yaml, "    account: \"222222222222\"", "    account: 022222222222");

        var result = InventorySample.Parse(yaml);

        Assert.Empty(result.Errors);
        Assert.Equal("022222222222", result.Inventory!.Environments[1].Account.Id);
    }

    [Fact]
    public void Anchored_blocks_can_be_reused_with_aliases()
    {
        var yaml =
            InventorySample.With("    testMessage:\n", "    testMessage: &probe\n") + "    testMessage: *probe\n";

        var result = InventorySample.Parse(yaml);

        Assert.Empty(result.Errors);
        Assert.Equal(result.Inventory!.Environments[0].TestMessage, result.Inventory.Environments[1].TestMessage);
    }

    [Fact]
    public void Errors_name_the_source_by_the_name_given_to_Parse()
    {
        var sourceName = Path.Combine("inventories", "draft.yaml");

        var result = InventoryLoader.Parse("version: 2\n", sourceName);

        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, error => Assert.Equal(sourceName, error.File));
    }
}
