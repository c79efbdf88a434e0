using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Cutovers.BlastRadius;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>The zone and the account's addresses after a cutover against its snapshot: only what a cutover of the wave
/// intended may have changed.</summary>
public sealed class BlastRadiusComparisonTests
{
    static SnapshotRecordSet A(string name, params string[] values) =>
        new()
        {
            Name = name,
            Type = "A",
            Ttl = 60,
            Values = [.. values],
        };

    static SnapshotRecordSet Txt(string name, string value) =>
        new()
        {
            Name = name,
            Type = "TXT",
            Ttl = 300,
            Values = [value],
        };

    static SnapshotAddress Eip(string id, string? instance) =>
        new()
        {
            AllocationId = id,
            PublicIp = "127.20.1.11",
            InstanceId = instance,
        };

    // acme-stg (own) moves mta1.stg and eipalloc-1; its sibling acme-dev moves mta1.dev and eipalloc-2.
    static readonly ChangeIntent Intent = new(
        new HashSet<string> { "mta1.stg.acme-mail.example", "mta1.dev.acme-mail.example" },
        new HashSet<string> { "eipalloc-1", "eipalloc-2" },
        new HashSet<string> { "mta1.stg.acme-mail.example" },
        new HashSet<string> { "eipalloc-1" }
    );

    [Fact]
    public void A_clean_cutover_has_nothing_outside_and_records_its_own_changes()
    {
        var (outside, own) = BlastRadiusComparison.Compare(
            [A("mta1.stg.acme-mail.example.", "127.10.1.11"), Txt("stg.acme-mail.example", "v=spf1 -all")],
            [A("mta1.stg.acme-mail.example", "127.20.1.11"), Txt("stg.acme-mail.example", "v=spf1 -all")],
            [Eip("eipalloc-1", null)],
            [Eip("eipalloc-1", "i-1")],
            Intent
        );

        Assert.Empty(outside);
        Assert.Equal(["mta1.stg.acme-mail.example A", "eipalloc-1"], own);
    }

    [Fact]
    public void A_siblings_intended_change_in_the_same_zone_is_not_counted_against_the_cutover()
    {
        var (outside, own) = BlastRadiusComparison.Compare(
            [A("mta1.dev.acme-mail.example", "127.10.0.11")],
            [A("mta1.dev.acme-mail.example", "127.20.0.11")],
            [Eip("eipalloc-2", null)],
            [Eip("eipalloc-2", "i-2")],
            Intent
        );

        Assert.Empty(outside);
        Assert.Empty(own);
    }

    [Fact]
    public void An_unrelated_record_changed_added_or_removed_is_outside_with_before_and_after()
    {
        var (outside, _) = BlastRadiusComparison.Compare(
            [Txt("www.acme-mail.example", "old"), Txt("gone.acme-mail.example", "x")],
            [Txt("www.acme-mail.example", "new"), A("new.acme-mail.example", "127.0.0.9")],
            [],
            [],
            Intent
        );

        Assert.Equal(
            [
                new OutsideChange("record", "gone.acme-mail.example TXT", "ttl 300 [x]", "(absent)"),
                new OutsideChange("record", "new.acme-mail.example A", "(absent)", "ttl 60 [127.0.0.9]"),
                new OutsideChange("record", "www.acme-mail.example TXT", "ttl 300 [old]", "ttl 300 [new]"),
            ],
            outside
        );
    }

    [Fact]
    public void Another_type_at_an_intended_name_and_an_unintended_association_are_outside()
    {
        var (outside, _) = BlastRadiusComparison.Compare(
            [Txt("mta1.stg.acme-mail.example", "a")],
            [Txt("mta1.stg.acme-mail.example", "b")],
            [Eip("eipalloc-9", "i-9")],
            [Eip("eipalloc-9", null)],
            Intent
        );

        Assert.Equal(
            [
                new OutsideChange("record", "mta1.stg.acme-mail.example TXT", "ttl 300 [a]", "ttl 300 [b]"),
                new OutsideChange("address", "eipalloc-9 (127.20.1.11)", "associated to i-9", "not associated"),
            ],
            outside
        );
    }
}
