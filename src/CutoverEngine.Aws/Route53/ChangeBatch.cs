namespace CutoverEngine.Aws.Route53;

/// <summary>Changes Route 53 applies all together or not at all.</summary>
public sealed record ChangeBatch(IReadOnlyList<RecordSetChange> Changes, string? Comment = null)
{
    /// <summary>Route 53's limits per request: 1,000 ResourceRecord elements and 32,000 value characters, UPSERTs
    /// counting twice.</summary>
    public const int MaxResourceRecords = 1000;
    public const int MaxValueCharacters = 32000;

    /// <summary>Refuses, before anything is sent, a batch Route 53 would refuse for its shape.</summary>
    public void EnsureWithinLimits()
    {
        if (Changes.Count == 0)
            throw new ArgumentException("A change batch needs at least one change.", nameof(Changes));
        var records = Changes.Sum(c => c.RecordSet.Values.Count * (c.Action == ChangeAction.Upsert ? 2 : 1));
        var characters = Changes.Sum(c =>
            c.RecordSet.Values.Sum(v => v.Length) * (c.Action == ChangeAction.Upsert ? 2 : 1)
        );
        if (records > MaxResourceRecords)
            throw new ArgumentException(
                $"The change batch has {records} ResourceRecord elements (UPSERT counting twice); Route 53 allows {MaxResourceRecords}."
            );
        if (characters > MaxValueCharacters)
            throw new ArgumentException(
                $"The change batch has {characters} value characters (UPSERT counting twice); Route 53 allows {MaxValueCharacters}."
            );
        foreach (var change in Changes)
            if (change.RecordSet.Values.Count == 0)
                throw new ArgumentException(
                    $"Change '{change}' has no values; Route 53 requires at least one ResourceRecord."
                );
    }
}
