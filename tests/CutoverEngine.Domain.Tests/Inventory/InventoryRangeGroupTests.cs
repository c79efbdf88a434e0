using CutoverEngine.Domain.Waves;
using static CutoverEngine.Domain.Tests.Inventory.InventorySample;

namespace CutoverEngine.Domain.Tests.Inventory;

/// <summary>
/// BYOIP ranges are the unit that moves (issue 19): a range more specific than /24 cannot be advertised, and
/// environments whose ranges overlap are refused unless they declare one rangeGroup.
/// </summary>
public class InventoryRangeGroupTests
{
    /// <summary>The sample's BYOIP environment (globex-prod, 127.30.1.0/24, MTA .11), and a second one of another
    /// customer, appended at the end of the file, whose MTA is .111 of <paramref name="cidr"/>.</summary>
    static string WithSecondByoip(string cidr, string? groupOfBoth = null)
    {
        var yaml = ValidText;
        if (groupOfBoth is not null)
            yaml = With(
                yaml,
                "    byoipCidr: 127.30.1.0/24\n",
                $"    byoipCidr: 127.30.1.0/24\n    rangeGroup: {groupOfBoth}\n"
            );
        var address = cidr.Split('/')[0][..cidr.Split('/')[0].LastIndexOf('.')] + ".111";
        return yaml.TrimEnd('\n')
            + "\n"
            + $"""
                  - id: initech-prod
                    customer: Initech
                    tier: production
                    offering: v8
                    account: "222222222222"
                    hostedZone: {"{"} id: Z0INITECH000000001, name: initech-mail.example {"}"}
                    sendingDomain: initech-mail.example
                    sendingControl: http://127.0.0.1:8609/environments/initech-prod
                    ipStrategy: byoip
                    byoipCidr: {cidr}
                {(groupOfBoth is null ? "" : $"    rangeGroup: {groupOfBoth}\n")}    mtaHosts:
                      - name: mta1.initech-mail.example
                        currentAddress: {address}
                        target:
                          instanceId: i-0c1b2c3d4e5f60001
                          address: {address}

                """;
    }

    /// <summary>Where the value of the n-th `rangeGroup: g` starts.</summary>
    static (int Line, int Column) GroupValueAt(string yaml, int occurrence)
    {
        var (line, column) = PositionOf(yaml, "rangeGroup: g", occurrence);
        return (line, column + "rangeGroup: ".Length);
    }

    [Fact]
    public void Two_environments_with_the_same_range_are_refused_naming_both_and_their_lines()
    {
        var yaml = WithSecondByoip("127.30.1.0/24");
        var firstLine = PositionOf(yaml, "byoipCidr: 127.30.1.0/24", 0).Line;

        var error = SingleError(yaml);

        AssertAt(
            error,
            ValueAt(yaml, "byoipCidr: 127.30.1.0/24", "127.30.1.0/24", 1),
            "environments[2].byoipCidr",
            "127.30.1.0/24 of environment 'initech-prod' is the same range as 127.30.1.0/24 of environment 'globex-prod'",
            $"(environments[1].byoipCidr, line {firstLine})",
            "same rangeGroup"
        );
    }

    [Fact]
    public void A_range_inside_another_environments_range_is_refused()
    {
        var yaml = WithSecondByoip("127.30.0.0/23");

        var error = SingleError(yaml);

        AssertAt(
            error,
            ValueAt(yaml, "byoipCidr: 127.30.0.0/23", "127.30.0.0/23"),
            "environments[2].byoipCidr",
            "127.30.0.0/23 of environment 'initech-prod' overlaps 127.30.1.0/24 of environment 'globex-prod'"
        );
    }

    [Fact]
    public void Disjoint_ranges_need_no_group()
    {
        var result = Parse(WithSecondByoip("127.30.2.0/24"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Inventory!.RangeGroups);
    }

    [Fact]
    public void A_range_more_specific_than_24_is_refused_at_its_position()
    {
        var yaml = With("byoipCidr: 127.30.1.0/24", "byoipCidr: 127.30.1.0/25");

        var error = SingleError(yaml);

        AssertAt(
            error,
            ValueAt(yaml, "byoipCidr: 127.30.1.0/25", "127.30.1.0/25"),
            "environments[1].byoipCidr",
            "'127.30.1.0/25' is more specific than /24",
            "AdvertiseByoipCidr refuses it"
        );
    }

    [Fact]
    public void Environments_sharing_a_range_with_one_rangeGroup_are_accepted_as_a_group()
    {
        var result = Parse(WithSecondByoip("127.30.1.0/24", groupOfBoth: "globex-initech"));

        Assert.Empty(result.Errors);
        var group = Assert.Single(result.Inventory!.RangeGroups);
        Assert.Equal("globex-initech", group.Name);
        Assert.Equal("127.30.1.0/24", group.Range.ToString());
        Assert.Equal(["globex-prod", "initech-prod"], group.EnvironmentIds);
        Assert.Equal("globex-prod", group.Lead.Id);
    }

    [Fact]
    public void In_a_group_with_nested_ranges_the_widest_range_leads()
    {
        var result = Parse(WithSecondByoip("127.30.0.0/23", groupOfBoth: "g"));

        Assert.Empty(result.Errors);
        var group = Assert.Single(result.Inventory!.RangeGroups);
        Assert.Equal("127.30.0.0/23", group.Range.ToString());
        Assert.Equal("initech-prod", group.Lead.Id);
    }

    [Fact]
    public void A_rangeGroup_on_one_environment_only_is_refused()
    {
        var yaml = With("    byoipCidr: 127.30.1.0/24\n", "    byoipCidr: 127.30.1.0/24\n    rangeGroup: lonely\n");

        var error = SingleError(yaml);

        AssertAt(
            error,
            ValueAt(yaml, "rangeGroup: lonely", "lonely"),
            "environments[1].rangeGroup",
            "rangeGroup 'lonely' is given on environment 'globex-prod' only"
        );
    }

    [Fact]
    public void A_group_whose_ranges_do_not_overlap_is_refused()
    {
        var yaml = WithSecondByoip("127.30.2.0/24", groupOfBoth: "g");

        var error = SingleError(yaml);

        AssertAt(
            error,
            GroupValueAt(yaml, 1),
            "environments[2].rangeGroup",
            "127.30.2.0/24 of environment 'initech-prod' is not inside 127.30.1.0/24 of environment 'globex-prod'"
        );
    }

    [Fact]
    public void A_rangeGroup_on_an_elastic_ip_environment_is_refused()
    {
        var yaml = With("    ipStrategy: elastic-ip\n", "    ipStrategy: elastic-ip\n    rangeGroup: g\n");

        var error = SingleError(yaml);

        AssertAt(error, GroupValueAt(yaml, 0), "environments[0].rangeGroup", "elastic-ip");
    }

    [Fact]
    public void A_wave_with_part_of_a_group_is_refused_naming_the_missing_environments()
    {
        var inventory = Parse(WithSecondByoip("127.30.1.0/24", groupOfBoth: "globex-initech")).Inventory!;

        var problem = Assert.Single(RangeGroupRule.Check(["acme-staging", "globex-prod"], inventory));
        var refused = Assert.Throws<PartialRangeGroupException>(() =>
            RangeGroupRule.Require("wave 'w1'", ["globex-prod"], inventory)
        );

        Assert.Contains("range group 'globex-initech' (127.30.1.0/24)", problem);
        Assert.Contains("has globex-prod but not initech-prod", problem);
        Assert.Contains("not initech-prod", refused.Message);
        var violation = Assert.Single(RangeGroupRule.Violations(["globex-prod"], inventory));
        Assert.Equal(("globex-prod", RangeGroupRule.Rule), (violation.EnvironmentId, violation.Rule));
        Assert.Contains("not initech-prod", violation.Message);
        Assert.Empty(RangeGroupRule.Check(["initech-prod", "globex-prod"], inventory));
        Assert.Empty(RangeGroupRule.Check(["acme-staging"], inventory));
    }

    [Fact]
    public void A_group_is_one_move_in_one_slot_with_its_lead_first()
    {
        var inventory = Parse(WithSecondByoip("127.30.0.0/23", groupOfBoth: "g")).Inventory!;
        var environments = inventory.Select(["globex-prod", "acme-staging", "initech-prod"]);
        var wave = Wave.Draft("w1", environments.Select(e => e.Id), DateTimeOffset.UnixEpoch, 1, WaveOrder.Explicit);

        var moves = WaveSequence.Moves(environments, WaveOrder.Explicit);
        var windows = EnvironmentWindow.InWave(wave, environments, TimeSpan.FromMinutes(60));

        Assert.Equal(
            [
                ["initech-prod", "globex-prod"],
                ["acme-staging"],
            ],
            moves.Select(m => m.Select(e => e.Id).ToArray())
        );
        Assert.Equal(
            [("initech-prod", 0), ("globex-prod", 0), ("acme-staging", 1)],
            windows.Select(w => (w.Environment.Id, w.Slot))
        );
    }
}
