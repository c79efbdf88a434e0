using System.Globalization;

namespace CutoverEngine.Engine.Audit;

/// <summary>Parses retention ages as operators type them: <c>90d</c> (days) or <c>36h</c> (hours).</summary>
public static class RetentionAge
{
    /// <summary>Longest accepted age: 100 years; more is a typo, not a policy.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(36_525);

    public static bool TryParse(string? text, out TimeSpan age, out string error)
    {
        age = default;
        var value = text?.Trim() ?? "";
        if (value.Length < 2)
        {
            error = $"'{text}' is not an age: write a whole number followed by d (days) or h (hours), e.g. 90d or 36h";
            return false;
        }
        var unit = char.ToLowerInvariant(value[^1]);
        var digits = value[..^1];
        if (unit is not ('d' or 'h'))
        {
            error = $"'{text}' has no unit: end it with d (days) or h (hours), e.g. 90d or 36h";
            return false;
        }
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"'{text}' is not an age: '{digits}' is not a whole number (e.g. 90d or 36h)";
            return false;
        }
        if (count == 0)
        {
            error = $"'{text}' is zero: that would prune every payload up to now; give a positive age";
            return false;
        }
        var days = unit == 'd' ? count : count / 24.0;
        if (days > Longest.TotalDays)
        {
            error = $"'{text}' is more than 100 years";
            return false;
        }
        age = unit == 'd' ? TimeSpan.FromDays(count) : TimeSpan.FromHours(count);
        error = "";
        return true;
    }
}
