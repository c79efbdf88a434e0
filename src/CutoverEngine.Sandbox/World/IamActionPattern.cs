namespace CutoverEngine.Sandbox.World;

/// <summary>IAM action patterns: case-insensitive, <c>*</c> any run of characters, <c>?</c> one character.</summary>
public static class IamActionPattern
{
    public static bool Matches(string pattern, string action)
    {
        var regex =
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(
            action,
            regex,
            System.Text.RegularExpressions.RegexOptions.IgnoreCase
                | System.Text.RegularExpressions.RegexOptions.CultureInvariant
        );
    }
}
