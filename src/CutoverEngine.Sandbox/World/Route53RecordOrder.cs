namespace CutoverEngine.Sandbox.World;

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
            if (c != 0)
                return c;
        }
        return la.Length.CompareTo(lb.Length);
    }
}
