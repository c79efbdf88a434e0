using System.Text;
using System.Text.RegularExpressions;

namespace CutoverEngine.Aws.Configuration;

/// <summary>STS's rule for role session names (2 to 64 of <c>[\w+=,.@-]</c>) and the engine's default name.</summary>
public static partial class RoleSessionName
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>
    /// <c>cutover-NODE</c>, plus <c>-WAVE</c> when a wave's call asks: what an auditor reading CloudTrail needs to find
    /// the engine and the run. Characters STS refuses become '-', and the name is cut to 64.
    /// </summary>
    public static string Default(string node, string? wave)
    {
        var raw = wave is null ? $"cutover-{node}" : $"cutover-{node}-{wave}";
        var sb = new StringBuilder(raw.Length);
        foreach (var c in raw)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '@' or '-' ? c : '-');
        var name = sb.ToString();
        return name.Length > 64 ? name[..64] : name;
    }

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
