namespace CutoverEngine.Aws.Route53.Zones;

/// <summary>A hosted zone's record sets as read at <see cref="ReadAt"/> (plus the changes this process made
/// since).</summary>
public sealed record ZoneRecords(
    string Account,
    string HostedZoneId,
    IReadOnlyList<ResourceRecordSet> RecordSets,
    DateTimeOffset ReadAt
)
{
    /// <summary>The simple-routing set with this name and type, or null.</summary>
    public ResourceRecordSet? Find(string name, string type)
    {
        var wanted = new ResourceRecordSet(name, type, null, []);
        return RecordSets.FirstOrDefault(s => s.IsSameSetAs(wanted));
    }

    /// <summary>Whether the zone already holds what <paramref name="change"/> asks for.</summary>
    public bool IsLive(RecordSetChange change) => change.IsSatisfiedBy(RecordSets);

    /// <summary>These records with <paramref name="changes"/> applied, as Route 53 applies an accepted batch.</summary>
    public ZoneRecords With(IEnumerable<RecordSetChange> changes)
    {
        var sets = RecordSets.ToList();
        foreach (var change in changes)
        {
            sets.RemoveAll(s => s.IsSameSetAs(change.RecordSet));
            if (change.Action != ChangeAction.Delete)
                sets.Add(change.RecordSet);
        }
        return this with { RecordSets = sets };
    }
}
