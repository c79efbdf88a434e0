namespace CutoverEngine.Aws.Route53;

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
