using CutoverEngine.Aws.Ec2;
using CutoverEngine.Aws.Route53;

namespace CutoverEngine.Engine.Cutovers.BlastRadius;

/// <summary>
/// Compares the zone and the account's addresses after a cutover with the snapshot it took before changing anything.
/// A record set is one name, type and set identifier (its TTL and values compared); an address is one allocation id
/// (its association compared). Changes to what a cutover of the wave intends are expected; the rest is outside.
/// </summary>
public static class BlastRadiusComparison
{
    /// <summary>A record name as compared and shown: lower case, without the trailing dot.</summary>
    public static string NameOf(string name) => DnsNames.Normalize(name).TrimEnd('.');

    public static SnapshotAddress AddressOf(ElasticIp eip) =>
        new()
        {
            AllocationId = eip.AllocationId,
            PublicIp = eip.PublicIp,
            InstanceId = eip.InstanceId,
        };

    public static SnapshotRecordSet RecordOf(ResourceRecordSet set) =>
        new()
        {
            Name = set.Name,
            Type = set.Type,
            SetIdentifier = set.SetIdentifier,
            Ttl = set.Ttl,
            Values = [.. set.Values],
        };

    /// <summary>The changes outside the intent, and this cutover's own intended changes (record names and allocation
    /// ids, for the record), in a stable order.</summary>
    public static (IReadOnlyList<OutsideChange> Outside, IReadOnlyList<string> OwnChanged) Compare(
        IReadOnlyList<SnapshotRecordSet> recordsBefore,
        IReadOnlyList<SnapshotRecordSet> recordsAfter,
        IReadOnlyList<SnapshotAddress> addressesBefore,
        IReadOnlyList<SnapshotAddress> addressesAfter,
        ChangeIntent intent
    )
    {
        var outside = new List<OutsideChange>();
        var own = new List<string>();
        var before = recordsBefore.ToDictionary(KeyOf, StringComparer.Ordinal);
        var after = recordsAfter.ToDictionary(KeyOf, StringComparer.Ordinal);
        foreach (var key in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.GetValueOrDefault(key);
            var now = after.GetValueOrDefault(key);
            if (Describe(was) == Describe(now))
                continue;
            var set = (now ?? was)!;
            var name = NameOf(set.Name);
            var intended = set.Type == "A" && intent.RecordNames.Contains(name);
            if (intended && intent.OwnRecordNames.Contains(name))
                own.Add($"{name} A");
            else if (!intended)
                outside.Add(new OutsideChange(OutsideChange.Record, key, Describe(was), Describe(now)));
        }
        var eipsBefore = addressesBefore.ToDictionary(a => a.AllocationId, StringComparer.Ordinal);
        var eipsAfter = addressesAfter.ToDictionary(a => a.AllocationId, StringComparer.Ordinal);
        foreach (var id in eipsBefore.Keys.Union(eipsAfter.Keys).Order(StringComparer.Ordinal))
        {
            var was = eipsBefore.GetValueOrDefault(id);
            var now = eipsAfter.GetValueOrDefault(id);
            if (Describe(was) == Describe(now))
                continue;
            if (intent.OwnAllocationIds.Contains(id))
                own.Add(id);
            else if (!intent.AllocationIds.Contains(id))
                outside.Add(
                    new OutsideChange(
                        OutsideChange.Address,
                        $"{id} ({(now ?? was)!.PublicIp})",
                        Describe(was),
                        Describe(now)
                    )
                );
        }
        return (outside, own);
    }

    static string KeyOf(SnapshotRecordSet set) =>
        $"{NameOf(set.Name)} {set.Type.ToUpperInvariant()}" + (set.SetIdentifier is { } id ? $" ({id})" : "");

    static string Describe(SnapshotRecordSet? set) =>
        set is null
            ? "(absent)"
            : $"ttl {set.Ttl?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} "
                + $"[{string.Join(", ", set.Values.Order(StringComparer.Ordinal))}]";

    static string Describe(SnapshotAddress? address) =>
        address is null ? "(absent)"
        : address.InstanceId is { } instance ? $"associated to {instance}"
        : "not associated";
}
