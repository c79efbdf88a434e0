namespace CutoverEngine.Aws.Route53;

/// <summary>
/// A simple-routing DNS record set as Route 53 holds it. Names are compared case-insensitively with or without
/// the trailing dot; values are compared as a set (Route 53 does not keep their order).
/// </summary>
public sealed record ResourceRecordSet(string Name, string Type, long? Ttl, IReadOnlyList<string> Values)
{
    /// <summary>Set identifier of a weighted/latency/failover set; null for simple routing (the only kind the engine
    /// writes).</summary>
    public string? SetIdentifier { get; init; }

    /// <summary>An A record set.</summary>
    public static ResourceRecordSet A(string name, long ttl, params string[] addresses) =>
        new(name, "A", ttl, addresses);

    /// <summary>Same name, type, set identifier, TTL and values as <paramref name="other"/>.</summary>
    public bool HasSameContentAs(ResourceRecordSet other) =>
        IsSameSetAs(other) && Ttl == other.Ttl && Values.ToHashSet(StringComparer.Ordinal).SetEquals(other.Values);

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

    /// <summary>Changes left out of the request because they were already live (all of them when <see
    /// cref="AlreadyInPlace"/>).</summary>
    public IReadOnlyList<RecordSetChange> AlreadyLive { get; init; } = [];

    /// <summary>The AWS request id of the call that returned this, for the audit journal.</summary>
    public string? RequestId { get; init; }
}
