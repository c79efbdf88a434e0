using System.Text.RegularExpressions;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// One EC2 filter. An item matches when any value matches; values may use the wildcards <c>*</c> (any run of
/// characters) and <c>?</c> (one character), as EC2 filters do.
/// </summary>
public sealed record Ec2Filter(string Name, IReadOnlyList<string> Values)
{
    public bool Matches(string? actual) => actual is not null && Values.Any(v => Glob(v, actual));

    public bool MatchesAny(IEnumerable<string?> actuals) => actuals.Any(Matches);

    static bool Glob(string pattern, string text)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?'))
            return string.Equals(pattern, text, StringComparison.Ordinal);
        var regex = "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return Regex.IsMatch(text, regex, RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
