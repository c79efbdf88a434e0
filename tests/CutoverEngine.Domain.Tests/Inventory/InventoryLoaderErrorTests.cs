using static CutoverEngine.Domain.Tests.Inventory.InventorySample;

namespace CutoverEngine.Domain.Tests.Inventory;

/// <summary>One test per class of error: each edits one spot of the valid sample and expects exactly that error,
/// there.</summary>
public class InventoryLoaderErrorTests
{
    [Fact]
    public void Error_prints_as_file_line_column_field_message()
    {
        var yaml = With("allocationId: eipalloc-0a1b2c3d4e5f60002", "allocationId: eipalloc-xyz");
        var (line, column) = PositionOf(yaml, "eipalloc-xyz");

        var error = SingleError(yaml);

        Assert.Equal(
            $"sandbox.yaml:{line}:{column}: environments[0].mtaHosts[1].target.allocationId: 'eipalloc-xyz' is not an Elastic IP allocation id (expected eipalloc- followed by 8-17 hex digits)",
            error.ToString()
        );
    }

    [Theory]
    [InlineData("    customer: Globex: Inc\n", 0, 21, "found invalid mapping")]
    [InlineData("     customer: Globex\n", 0, 14, "found invalid mapping")]
    [InlineData("    customer: \"Globex\n", 0, 15, "double-quoted scalar")]
    // YamlDotNet's scanner fails with an InvalidOperationException here; it must still become a positioned error.
    [InlineData("    customer: [Globex\n", 1, 5, "unclosed bracket or quote")]
    public void Yaml_syntax_error_is_one_error_with_its_position_and_no_field(
        string brokenLine,
        int lineOffset,
        int column,
        string message
    )
    {
        var yaml = With("    customer: Globex\n", brokenLine);
        var brokenLineNumber = PositionOf(yaml, brokenLine).Line;

        var error = SingleError(yaml);

        AssertAt(error, (brokenLineNumber + lineOffset, column), "", "YAML syntax error: ", message);
        Assert.DoesNotContain("Idx:", error.Message);
        Assert.StartsWith($"sandbox.yaml:{error.Line}:{error.Column}: YAML syntax error: ", error.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void Empty_file_is_an_error(string yaml)
    {
        var error = SingleError(yaml);

        AssertAt(error, (1, 1), "", "empty");
    }

    [Fact]
    public void A_second_yaml_document_is_an_error()
    {
        var yaml = ValidText + "---\nversion: 1\n";

        var error = SingleError(yaml);

        AssertAt(error, PositionOf(yaml, "---"), "", "single YAML document");
    }

    [Fact]
    public void Document_that_is_not_a_mapping_is_an_error()
    {
        var error = SingleError("- version: 1\n");

        AssertAt(error, (1, 1), "", "must be a mapping", "version, accounts and environments");
    }

    [Fact]
    public void Each_missing_top_level_field_is_reported()
    {
        var errors = Parse("version: 1\n").Errors;

        Assert.Equal(["accounts", "environments"], errors.Select(error => error.Field));
        Assert.All(
            errors,
            error => Assert.Equal((1, 1, "required field missing"), (error.Line, error.Column, error.Message))
        );
    }

    [Fact]
    public void Field_name_that_is_not_a_plain_value_is_an_error()
    {
        var yaml = ValidText + "? [a, b]\n: c\n";

        AssertAt(SingleError(yaml), PositionOf(yaml, "[a, b]"), "?", "a field name must be a plain name, not a list");
    }

    [Fact]
    public void Unsupported_version_is_an_error()
    {
        var yaml = With("version: 1", "version: 2");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "2\n"),
            "version",
            "unsupported inventory version '2'",
            "version 1"
        );
    }

    [Fact]
    public void Unknown_key_is_an_error_with_a_spelling_hint_and_the_allowed_keys()
    {
        var yaml = With("    region: eu-central-1", "    regoin: eu-central-1");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "regoin"),
            "environments[1].regoin",
            "unknown field 'regoin'",
            "did you mean 'region'?",
            "allowed fields: id, customer, tier"
        );
    }

    [Fact]
    public void Unknown_key_at_the_top_level_is_an_error()
    {
        var yaml = ValidText + "defaults: {}\n";

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "defaults"),
            "defaults",
            "unknown field 'defaults'",
            "allowed fields: version, accounts, environments"
        );
    }

    [Fact]
    public void Key_given_twice_is_an_error_at_the_second()
    {
        var yaml = With("    tier: production\n", "    tier: production\n    tier: development\n");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "tier: development"),
            "environments[1].tier",
            "'tier' is given twice",
            $"first on line {PositionOf(yaml, "tier: production").Line}"
        );
    }

    [Fact]
    public void Missing_required_field_is_reported_at_its_mapping()
    {
        var yaml = With("    customer: Globex\n", "");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "id: globex-prod"),
            "environments[1].customer",
            "required field missing"
        );
    }

    [Fact]
    public void Required_field_given_as_null_is_an_error()
    {
        var yaml = With("    customer: Globex", "    customer: ~");

        AssertAt(SingleError(yaml), PositionOf(yaml, "~"), "environments[1].customer", "required field is empty");
    }

    [Fact]
    public void List_given_where_a_single_value_belongs_is_an_error()
    {
        var yaml = With("    customer: Globex", "    customer: [Globex, Initech]");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "[Globex"),
            "environments[1].customer",
            "expected a single value but found a list"
        );
    }

    [Fact]
    public void Value_given_where_a_mapping_belongs_is_an_error()
    {
        var yaml = With(
            "    hostedZone: { id: Z0ACME00000000001, name: acme-mail.example }",
            "    hostedZone: Z0ACME00000000001"
        );

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "Z0ACME00000000001"),
            "environments[0].hostedZone",
            "expected a hosted zone with id and name (a mapping) but found a value"
        );
    }

    [Fact]
    public void Empty_host_list_is_an_error()
    {
        var globexHosts = ValidText[
            ValidText.IndexOf("    mtaHosts:\n      - name: mta1.globex-mail.example", StringComparison.Ordinal)..
        ];
        var yaml = With(globexHosts, "    mtaHosts: []\n");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "[]"),
            "environments[1].mtaHosts",
            "must list at least one MTA host"
        );
    }

    [Fact]
    public void Alias_without_an_anchor_is_a_syntax_error()
    {
        var yaml = ValidText + "    testMessage: *probe\n";

        AssertAt(SingleError(yaml), PositionOf(yaml, "*probe"), "", "alias '*probe' refers to no anchor");
    }

    [Theory]
    [InlineData(
        "    tier: staging",
        "    tier: prod",
        "prod",
        "environments[0].tier",
        "'prod' is not a valid tier (allowed: development, staging, production)"
    )]
    [InlineData(
        "    offering: v7-hosted",
        "    offering: v9",
        "v9",
        "environments[0].offering",
        "'v9' is not a valid offering (allowed: v7-hosted, v7-hybrid, managed-services, v8)"
    )]
    [InlineData(
        "    ipStrategy: byoip",
        "    ipStrategy: bring-your-own",
        "bring-your-own",
        "environments[1].ipStrategy",
        "'bring-your-own' is not a valid IP strategy (allowed: elastic-ip, byoip)"
    )]
    public void Enum_value_outside_the_allowed_ones_is_an_error_listing_them(
        string original,
        string replacement,
        string value,
        string field,
        string message
    )
    {
        var yaml = With(original, replacement);

        var errors = Parse(yaml).Errors;

        // An unknown IP strategy leaves the strategy-specific checks undecided, so nothing else is reported.
        var error = Assert.Single(errors);
        AssertAt(error, ValueAt(yaml, replacement, value), field, message);
    }

    [Fact]
    public void On_premise_offering_is_rejected_as_out_of_scope()
    {
        var yaml = With("    offering: managed-services", "    offering: v7-on-premise");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "v7-on-premise"),
            "environments[1].offering",
            "'v7-on-premise' is out of scope",
            "allowed: v7-hosted"
        );
    }

    [Theory]
    [InlineData("Acme-Staging")]
    [InlineData("acme_staging")]
    [InlineData("-acme")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Malformed_environment_id_is_an_error(string id)
    {
        var yaml = With("  - id: acme-staging", $"  - id: {id}");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, id),
            "environments[0].id",
            $"'{id}' is not a valid environment id",
            "1-63 lower-case letters"
        );
    }

    [Fact]
    public void Duplicate_environment_id_is_an_error_pointing_at_the_first()
    {
        var yaml = With("  - id: globex-prod", "  - id: acme-staging");

        AssertAt(
            SingleError(yaml),
            ValueAt(yaml, "id: acme-staging", "acme-staging", occurrence: 1),
            "environments[1].id",
            "environment id 'acme-staging' is already used by environments[0]",
            $"(line {PositionOf(yaml, "id: acme-staging").Line})"
        );
    }

    [Fact]
    public void Duplicate_account_id_is_an_error()
    {
        var yaml = With("  - id: \"222222222222\"", "  - id: \"111111111111\"");
        yaml = With(yaml, "    account: \"222222222222\"", "    account: \"111111111111\"");

        var error = SingleError(yaml);

        AssertAt(
            error,
            PositionOf(yaml, "\"111111111111\"", occurrence: 1),
            "accounts[1].id",
            "account id '111111111111' is already used by accounts[0]"
        );
    }

    [Theory]
    [InlineData("11111111111")]
    [InlineData("1111111111ab")]
    public void Malformed_account_id_is_an_error(string id)
    {
        var yaml = With("  - id: \"222222222222\"", $"  - id: \"{id}\"");
        yaml = With(yaml, "    account: \"222222222222\"", "    account: \"111111111111\"");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, $"\"{id}\""),
            "accounts[1].id",
            $"'{id}' is not an AWS account id (expected 12 digits"
        );
    }

    [Fact]
    public void Reference_to_an_undefined_account_is_an_error_listing_the_defined_ones()
    {
        var yaml = With("    account: \"222222222222\"", "    account: \"333333333333\"");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "\"333333333333\""),
            "environments[1].account",
            "account '333333333333' is not defined under accounts (defined: 111111111111, 222222222222)"
        );
    }

    [Fact]
    public void Malformed_region_is_an_error()
    {
        var yaml = With("    region: eu-central-1", "    region: Frankfurt");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "Frankfurt"),
            "environments[1].region",
            "'Frankfurt' is not an AWS region name"
        );
    }

    [Fact]
    public void Malformed_hosted_zone_id_is_an_error()
    {
        var yaml = With("      id: Z0GLOBEX0000000001", "      id: /hostedzone/Z0GLOBEX0000000001");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "/hostedzone/"),
            "environments[1].hostedZone.id",
            "is not a Route 53 hosted zone id"
        );
    }

    [Fact]
    public void Same_hosted_zone_id_with_two_names_is_an_error()
    {
        var yaml = With("      id: Z0GLOBEX0000000001", "      id: Z0ACME00000000001");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "globex-mail.example"),
            "environments[1].hostedZone.name",
            "hosted zone Z0ACME00000000001 is named 'globex-mail.example' here but 'acme-mail.example' in environments[0].hostedZone"
        );
    }

    [Theory]
    [InlineData("mail.acme mail.example")]
    [InlineData("mail..example")]
    [InlineData("-mail.example")]
    public void Malformed_dns_name_is_an_error(string name)
    {
        var yaml = With("    sendingDomain: news.globex.example", $"    sendingDomain: \"{name}\"");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, $"\"{name}\""),
            "environments[1].sendingDomain",
            $"'{name}' is not a DNS name"
        );
    }

    [Fact]
    public void Mta_host_outside_the_hosted_zone_is_an_error()
    {
        var yaml = With("      - name: mta1.globex-mail.example", "      - name: mta1.globex.example");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "mta1.globex.example"),
            "environments[1].mtaHosts[0].name",
            "'mta1.globex.example' is not inside the hosted zone 'globex-mail.example'"
        );
    }

    [Fact]
    public void Zone_name_that_merely_ends_like_the_zone_is_outside_it()
    {
        var yaml = With("      - name: mta1.globex-mail.example", "      - name: mta1.oldglobex-mail.example");

        Assert.Contains("is not inside the hosted zone", SingleError(yaml).Message);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/pause")]
    [InlineData("/environments/acme-staging")]
    [InlineData("127.0.0.1:8601")]
    public void Sending_control_that_is_not_an_absolute_http_url_is_an_error(string url)
    {
        var yaml = With(
            "    sendingControl: http://127.0.0.1:8601/environments/acme-staging",
            $"    sendingControl: \"{url}\""
        );

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, $"\"{url}\""),
            "environments[0].sendingControl",
            $"'{url}' is not an absolute http or https URL"
        );
    }

    [Theory]
    [InlineData("127.10.1")]
    [InlineData("127.10.1.256")]
    [InlineData("127.010.1.11")]
    [InlineData("::1")]
    public void Malformed_ipv4_address_is_an_error(string address)
    {
        var yaml = With("        currentAddress: 127.10.1.12", $"        currentAddress: \"{address}\"");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, $"\"{address}\""),
            "environments[0].mtaHosts[1].currentAddress",
            $"'{address}' is not an IPv4 address"
        );
    }

    [Fact]
    public void Malformed_byoip_cidr_is_an_error()
    {
        var yaml = With("    byoipCidr: 127.30.1.0/24", "    byoipCidr: 127.30.1.0/33");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "127.30.1.0/33"),
            "environments[1].byoipCidr",
            "'127.30.1.0/33' is not an IPv4 CIDR range"
        );
    }

    [Fact]
    public void Byoip_cidr_with_host_bits_set_is_an_error()
    {
        var yaml = With("    byoipCidr: 127.30.1.0/24", "    byoipCidr: 127.30.1.11/24");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "127.30.1.11/24"),
            "environments[1].byoipCidr",
            "has host bits set (the range is 127.30.1.0/24)"
        );
    }

    [Fact]
    public void Byoip_without_a_cidr_is_an_error()
    {
        var yaml = With("    byoipCidr: 127.30.1.0/24\n", "");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "id: globex-prod"),
            "environments[1].byoipCidr",
            "required for ipStrategy byoip"
        );
    }

    [Fact]
    public void Elastic_ip_with_a_cidr_is_an_error()
    {
        var yaml = With("    ipStrategy: elastic-ip\n", "    ipStrategy: elastic-ip\n    byoipCidr: 127.20.1.0/24\n");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "127.20.1.0/24"),
            "environments[0].byoipCidr",
            "must not be set for ipStrategy elastic-ip"
        );
    }

    [Fact]
    public void Elastic_ip_host_without_an_allocation_id_is_an_error()
    {
        var yaml = With("          allocationId: eipalloc-0a1b2c3d4e5f60002\n", "");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "instanceId: i-0a1b2c3d4e5f60002"),
            "environments[0].mtaHosts[1].target.allocationId",
            "required for ipStrategy elastic-ip"
        );
    }

    [Fact]
    public void Byoip_host_with_an_allocation_id_is_an_error()
    {
        var yaml = With(
            "          instanceId: i-0b1b2c3d4e5f60001\n",
            "          instanceId: i-0b1b2c3d4e5f60001\n          allocationId: eipalloc-0b1b2c3d4e5f60001\n"
        );

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "eipalloc-0b1b2c3d4e5f60001"),
            "environments[1].mtaHosts[0].target.allocationId",
            "must not be set for ipStrategy byoip"
        );
    }

    [Fact]
    public void Byoip_target_address_outside_the_cidr_is_an_error()
    {
        var yaml = With("        currentAddress: 127.30.1.11", "        currentAddress: 127.31.1.11");
        yaml = With(yaml, "          address: 127.30.1.11", "          address: 127.31.1.11");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "127.31.1.11", occurrence: 1),
            "environments[1].mtaHosts[0].target.address",
            "127.31.1.11 is not inside byoipCidr 127.30.1.0/24"
        );
    }

    [Fact]
    public void Byoip_target_address_other_than_the_current_one_is_an_error()
    {
        var yaml = With("          address: 127.30.1.11", "          address: 127.30.1.12");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "127.30.1.12"),
            "environments[1].mtaHosts[0].target.address",
            "127.30.1.12 differs from currentAddress 127.30.1.11",
            "the addresses stay"
        );
    }

    [Fact]
    public void Malformed_instance_id_is_an_error()
    {
        var yaml = With("instanceId: i-0a1b2c3d4e5f60002", "instanceId: i-12345");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "i-12345"),
            "environments[0].mtaHosts[1].target.instanceId",
            "'i-12345' is not an EC2 instance id (expected i- followed by 8-17 hex digits)"
        );
    }

    [Fact]
    public void Target_address_used_by_two_hosts_is_an_error()
    {
        var yaml = With("          address: 127.20.1.12", "          address: 127.20.1.11");

        AssertAt(
            SingleError(yaml),
            ValueAt(yaml, "address: 127.20.1.11", "127.20.1.11", occurrence: 1),
            "environments[0].mtaHosts[1].target.address",
            "target address '127.20.1.11' is already used by environments[0].mtaHosts[0].target"
        );
    }

    [Fact]
    public void Allocation_id_used_by_two_hosts_is_an_error()
    {
        var yaml = With("allocationId: eipalloc-0a1b2c3d4e5f60002", "allocationId: eipalloc-0a1b2c3d4e5f60001");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "eipalloc-0a1b2c3d4e5f60001", occurrence: 1),
            "environments[0].mtaHosts[1].target.allocationId",
            "Elastic IP allocation 'eipalloc-0a1b2c3d4e5f60001' is already used by environments[0].mtaHosts[0].target"
        );
    }

    [Fact]
    public void Instance_id_used_by_two_hosts_in_different_environments_is_an_error()
    {
        var yaml = With("instanceId: i-0b1b2c3d4e5f60001", "instanceId: i-0a1b2c3d4e5f60001");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "i-0a1b2c3d4e5f60001", occurrence: 1),
            "environments[1].mtaHosts[0].target.instanceId",
            "instance 'i-0a1b2c3d4e5f60001' is already used by environments[0].mtaHosts[0].target"
        );
    }

    [Fact]
    public void Host_name_listed_twice_is_an_error()
    {
        var yaml = With("      - name: MTA2.Acme-Mail.Example.", "      - name: mta1.acme-mail.example");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "mta1.acme-mail.example", occurrence: 1),
            "environments[0].mtaHosts[1].name",
            "MTA host name 'mta1.acme-mail.example' is already used by environments[0].mtaHosts[0]"
        );
    }

    [Theory]
    [InlineData("0", "0 minutes is outside the allowed range 1 to 240")]
    [InlineData("241", "241 minutes is outside the allowed range 1 to 240")]
    [InlineData("-5", "-5 minutes is outside the allowed range 1 to 240")]
    [InlineData("45.5", "'45.5' is not a whole number of minutes")]
    [InlineData("an hour", "'an hour' is not a whole number of minutes")]
    public void Window_budget_outside_1_to_240_whole_minutes_is_an_error(string value, string message)
    {
        var yaml = With("    windowBudgetMinutes: 45", $"    windowBudgetMinutes: {value}");

        AssertAt(
            SingleError(yaml),
            ValueAt(yaml, $"windowBudgetMinutes: {value}", value),
            "environments[1].windowBudgetMinutes",
            message
        );
    }

    [Fact]
    public void Malformed_test_message_address_is_an_error()
    {
        var yaml = With("      to: postmaster@acme-mail.example", "      to: postmaster");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "postmaster\n"),
            "environments[0].testMessage.to",
            "'postmaster' is not a mail address"
        );
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_in_file_order()
    {
        var yaml = With("version: 1", "version: 3");
        yaml = With(yaml, "    tier: staging", "    tier: prod");
        yaml = With(yaml, "allocationId: eipalloc-0a1b2c3d4e5f60002", "allocationId: eipalloc-xyz");
        yaml = With(yaml, "    offering: managed-services", "    offering: v7-on-premise");
        yaml = With(yaml, "    windowBudgetMinutes: 45", "    windowBudgetMinutes: 500");
        yaml = With(yaml, "          address: 127.30.1.11", "          address: 127.30.1.99");

        var result = Parse(yaml);

        Assert.Null(result.Inventory);
        Assert.Equal(
            [
                "version",
                "environments[0].tier",
                "environments[0].mtaHosts[1].target.allocationId",
                "environments[1].offering",
                "environments[1].windowBudgetMinutes",
                "environments[1].mtaHosts[0].target.address",
            ],
            result.Errors.Select(error => error.Field)
        );
        Assert.Equal(result.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column), result.Errors);
    }

    [Fact]
    public void An_invalid_account_does_not_also_make_its_environments_report_an_unknown_account()
    {
        var yaml = With("    region: eu-west-1", "    region: europe");

        AssertAt(
            SingleError(yaml),
            PositionOf(yaml, "europe"),
            "accounts[1].region",
            "'europe' is not an AWS region name"
        );
    }
}
