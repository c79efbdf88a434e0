using System.Collections.Immutable;

namespace CutoverEngine.Sandbox.World;

/// <summary>A Route 53 resource record set: name (absolute, lower-case, trailing dot), type, TTL and values in Route
/// 53's text form.</summary>
public sealed record RecordSet(string Name, string Type, long Ttl, ImmutableArray<string> Values)
{
    public RecordKey Key => new(Name, Type);

    public bool SameValues(RecordSet other) =>
        Ttl == other.Ttl
        && Values.Length == other.Values.Length
        && Values
            .Order(StringComparer.Ordinal)
            .SequenceEqual(other.Values.Order(StringComparer.Ordinal), StringComparer.Ordinal);
}

public readonly record struct RecordKey(string Name, string Type);
