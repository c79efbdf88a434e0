using System.Net;

namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>
/// BYOIP ranges across environments: advertising a range moves every address in it, so overlapping ranges (the
/// same range, or one inside another) are refused unless the environments declare one <c>rangeGroup</c> and move as
/// one (<see cref="RangeGroup"/>).
/// </summary>
internal sealed partial class InventoryReader
{
    /// <summary>A valid range of a readable environment, with where it and its group (if any) were given.</summary>
    sealed record RangeClaim(
        string EnvironmentId,
        string Owner,
        string AccountId,
        IPNetwork Range,
        Field RangeField,
        GroupName? Group
    );

    sealed record GroupName(string Name, Field At);

    (bool Valid, GroupName? Group) ReadRangeGroup(Field? field, IpStrategy? strategy)
    {
        if (field is not { } f)
            return (true, null);
        if (strategy == IpStrategy.ElasticIp)
        {
            errors.Add(
                f.Node,
                f.Path,
                "must not be set for ipStrategy elastic-ip (a range group shares one BYOIP range; Elastic IPs move one by one)"
            );
            return (false, null);
        }
        var name = Matching(
            f,
            FieldFormats.EnvironmentId(),
            "is not a valid range group name (expected 1-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit)"
        );
        return name is null ? (false, null) : (true, new GroupName(name, f));
    }

    void CheckRangeOverlaps()
    {
        for (var j = 0; j < rangeClaims.Count; j++)
        {
            var later = rangeClaims[j];
            foreach (var earlier in rangeClaims.Take(j))
            {
                if (!RangeGroup.Overlap(earlier.Range, later.Range) || SameGroup(earlier, later))
                    continue;
                var line = earlier.RangeField.Node.Position.Line;
                var how = earlier.Range == later.Range ? "is the same range as" : "overlaps";
                errors.Add(
                    later.RangeField.Node,
                    later.RangeField.Path,
                    $"{later.Range} of environment '{later.EnvironmentId}' {how} {earlier.Range} of environment "
                        + $"'{earlier.EnvironmentId}' ({earlier.Owner}.byoipCidr, line {line}): advertising a range moves "
                        + "every address in it, so these cannot be cut over apart; declare both with the same "
                        + "rangeGroup to move them as one cutover, or correct the range"
                );
            }
        }
        foreach (var group in rangeClaims.Where(c => c.Group is not null).GroupBy(c => c.Group!.Name))
            CheckGroup(group.Key, [.. group]);
    }

    static bool SameGroup(RangeClaim a, RangeClaim b) =>
        a.Group is { } x && b.Group is { } y && string.Equals(x.Name, y.Name, StringComparison.Ordinal);

    /// <summary>A group is at least two environments of one account whose ranges all lie in one of them.</summary>
    void CheckGroup(string name, IReadOnlyList<RangeClaim> members)
    {
        if (members.Count == 1)
        {
            var only = members[0];
            errors.Add(
                only.Group!.At.Node,
                only.Group.At.Path,
                $"rangeGroup '{name}' is given on environment '{only.EnvironmentId}' only; a range group names the "
                    + "environments that share one BYOIP range (at least two)"
            );
            return;
        }
        var widest = members.MinBy(m => m.Range.PrefixLength)!;
        foreach (var member in members.Where(m => m != widest))
        {
            var at = member.Group!.At;
            var leadLine = widest.RangeField.Node.Position.Line;
            if (!widest.Range.Contains(member.Range.BaseAddress))
                errors.Add(
                    at.Node,
                    at.Path,
                    $"rangeGroup '{name}': {member.Range} of environment '{member.EnvironmentId}' is not inside "
                        + $"{widest.Range} of environment '{widest.EnvironmentId}' (line {leadLine}); a range group "
                        + "moves one range, so every range of the group lies in the widest"
                );
            else if (member.AccountId != widest.AccountId)
                errors.Add(
                    at.Node,
                    at.Path,
                    $"rangeGroup '{name}': environment '{member.EnvironmentId}' is in account {member.AccountId} but "
                        + $"'{widest.EnvironmentId}' (line {leadLine}) in {widest.AccountId}; a BYOIP range is "
                        + "provisioned in one account, so its group moves within that account"
                );
        }
    }
}
