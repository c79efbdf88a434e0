namespace CutoverEngine.Aws.Route53;

/// <summary>
/// A simple-routing DNS record set as Route 53 holds it. Names are compared case-insensitively with or without
/// the trailing dot; values are compared as a set (Route 53 does not keep their order).
/// </summary>
public sealed record ResourceRecordSet(string Name, string Type, long? Ttl, IReadOnlyList<string> Values)
{
    /// <summary>Set identifier of a weighted/latency/failover set; null for simple routing (the only kind the engine writes).</summary>
    public string? SetIdentifier { get; init; }

    /// <summary>An A record set.</summary>
    public static ResourceRecordSet A(string name, long ttl, params string[] addresses) => new(name, "A", ttl, addresses);

    /// <summary>Same name, type, set identifier, TTL and values as <paramref name="other"/>.</summary>
    public bool HasSameContentAs(ResourceRecordSet other) =>
        IsSameSetAs(other) && Ttl == other.Ttl
        && Values.ToHashSet(StringComparer.Ordinal).SetEquals(other.Values);

    /// <summary>Same name, type and set identifier: the same set in the zone, whatever its values.</summary>
    public bool IsSameSetAs(ResourceRecordSet other) =>
        string.Equals(DnsNames.Normalize(Name), DnsNames.Normalize(other.Name), StringComparison.Ordinal)
        && string.Equals(Type, other.Type, StringComparison.OrdinalIgnoreCase)
        && string.Equals(SetIdentifier, other.SetIdentifier, StringComparison.Ordinal);

    public override string ToString() => $"{Name} {Type} ttl={Ttl} [{string.Join(", ", Values)}]";
}

public enum ChangeAction
{
    Create,
    Delete,
    Upsert,
}

public sealed record RecordSetChange(ChangeAction Action, ResourceRecordSet RecordSet)
{
    public static RecordSetChange Upsert(ResourceRecordSet set) => new(ChangeAction.Upsert, set);
    public static RecordSetChange Create(ResourceRecordSet set) => new(ChangeAction.Create, set);
    public static RecordSetChange Delete(ResourceRecordSet set) => new(ChangeAction.Delete, set);

    /// <summary>
    /// Whether <paramref name="live"/> (a zone's record sets) already holds what this change asks for: an UPSERT or CREATE
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

/// <summary>Changes Route 53 applies all together or not at all.</summary>
public sealed record ChangeBatch(IReadOnlyList<RecordSetChange> Changes, string? Comment = null)
{
    /// <summary>Route 53's limits per request: 1,000 ResourceRecord elements and 32,000 value characters, UPSERTs counting twice.</summary>
    public const int MaxResourceRecords = 1000;
    public const int MaxValueCharacters = 32000;

    /// <summary>Refuses, before anything is sent, a batch Route 53 would refuse for its shape.</summary>
    public void EnsureWithinLimits()
    {
        if (Changes.Count == 0) throw new ArgumentException("A change batch needs at least one change.", nameof(Changes));
        var records = Changes.Sum(c => c.RecordSet.Values.Count * (c.Action == ChangeAction.Upsert ? 2 : 1));
        var characters = Changes.Sum(c => c.RecordSet.Values.Sum(v => v.Length) * (c.Action == ChangeAction.Upsert ? 2 : 1));
        if (records > MaxResourceRecords)
            throw new ArgumentException($"The change batch has {records} ResourceRecord elements (UPSERT counting twice); Route 53 allows {MaxResourceRecords}.");
        if (characters > MaxValueCharacters)
            throw new ArgumentException($"The change batch has {characters} value characters (UPSERT counting twice); Route 53 allows {MaxValueCharacters}.");
        foreach (var change in Changes)
            if (change.RecordSet.Values.Count == 0)
                throw new ArgumentException($"Change '{change}' has no values; Route 53 requires at least one ResourceRecord.");
    }
}

public enum ChangeStatus
{
    Pending,
    InSync,
}

/// <summary>
/// What Route 53 said about a change. When every change of a batch was already live, no request is sent:
/// <see cref="AlreadyInPlace"/> is true, <see cref="Id"/> is null and <see cref="Status"/> is INSYNC.
/// </summary>
public sealed record ChangeInfo(string? Id, ChangeStatus Status, DateTimeOffset SubmittedAt, string? Comment = null)
{
    /// <summary>True when nothing was sent because the zone already held what the batch asks for.</summary>
    public bool AlreadyInPlace { get; init; }

    /// <summary>Changes left out of the request because they were already live (all of them when <see cref="AlreadyInPlace"/>).</summary>
    public IReadOnlyList<RecordSetChange> AlreadyLive { get; init; } = [];

    /// <summary>The AWS request id of the call that returned this, for the audit journal.</summary>
    public string? RequestId { get; init; }
}

/// <summary>DNS name handling as Route 53 does it.</summary>
public static class DnsNames
{
    /// <summary>Lower case, with the trailing dot: the form Route 53 returns names in.</summary>
    public static string Normalize(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        // Route 53 returns '*' as an octal escape.
        n = n.Replace("\\052", "*", StringComparison.Ordinal);
        return n.EndsWith('.') ? n : n + ".";
    }
}
