namespace CutoverEngine.Sandbox.World;

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
