using System.Collections.Immutable;

namespace CutoverEngine.Sandbox.World;

/// <summary>A Route 53 resource record set: name (absolute, lower-case, trailing dot), type, TTL and values in Route 53's text form.</summary>
public sealed record RecordSet(string Name, string Type, long Ttl, ImmutableArray<string> Values)
{
    public RecordKey Key => new(Name, Type);

    public bool SameValues(RecordSet other) =>
        Ttl == other.Ttl && Values.Length == other.Values.Length && Values.Order(StringComparer.Ordinal).SequenceEqual(other.Values.Order(StringComparer.Ordinal), StringComparer.Ordinal);
}

public readonly record struct RecordKey(string Name, string Type);

/// <summary>
/// Route 53 lists record sets in DNS order: by name with its labels reversed (com.example.www), then by type.
/// Paging (NextRecordName/NextRecordType) depends on this order, so the sandbox keeps it too.
/// </summary>
public sealed class Route53RecordOrder : IComparer<RecordKey>
{
    public static readonly Route53RecordOrder Instance = new();

    public int Compare(RecordKey x, RecordKey y)
    {
        var byName = CompareNames(x.Name, y.Name);
        return byName != 0 ? byName : string.CompareOrdinal(x.Type, y.Type);
    }

    public static int CompareNames(string a, string b)
    {
        var la = a.TrimEnd('.').Split('.');
        var lb = b.TrimEnd('.').Split('.');
        for (int i = 1; i <= Math.Min(la.Length, lb.Length); i++)
        {
            var c = string.CompareOrdinal(la[^i], lb[^i]);
            if (c != 0) return c;
        }
        return la.Length.CompareTo(lb.Length);
    }
}

public static class DnsName
{
    /// <summary>Absolute, lower-case form with one trailing dot; Route 53 stores names this way.</summary>
    public static string Normalize(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        // Route 53 escapes some characters as \ooo octal; '*' is the one the sandbox meets (wildcards).
        n = n.Replace("\\052", "*");
        return n.EndsWith('.') ? n : n + ".";
    }

    public static bool IsInside(string name, string zone)
    {
        var n = Normalize(name);
        var z = Normalize(zone);
        return n == z || n.EndsWith("." + z, StringComparison.Ordinal);
    }
}
