namespace CutoverEngine.Aws.Route53;

public sealed record RecordSetChange(ChangeAction Action, ResourceRecordSet RecordSet)
{
    public static RecordSetChange Upsert(ResourceRecordSet set) => new(ChangeAction.Upsert, set);

    public static RecordSetChange Create(ResourceRecordSet set) => new(ChangeAction.Create, set);

    public static RecordSetChange Delete(ResourceRecordSet set) => new(ChangeAction.Delete, set);

    /// <summary>
    /// Whether <paramref name="live"/> (a zone's record sets) already holds what this change asks for: an UPSERT or
    /// CREATE
    /// whose set has these values and TTL, a DELETE of a set that is gone. Such a change is left out of a batch.
    /// </summary>
    public bool IsSatisfiedBy(IEnumerable<ResourceRecordSet> live)
    {
        var current = live.FirstOrDefault(s => s.IsSameSetAs(RecordSet));
        return Action switch
        {
            ChangeAction.Upsert or ChangeAction.Create => current is not null && current.HasSameContentAs(RecordSet),
            ChangeAction.Delete => current is null,
            _ => false,
        };
    }

    public override string ToString() => $"{Action.ToString().ToUpperInvariant()} {RecordSet}";
}
