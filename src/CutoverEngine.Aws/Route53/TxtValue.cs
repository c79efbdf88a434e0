using System.Globalization;
using System.Text;

namespace CutoverEngine.Aws.Route53;

/// <summary>
/// A TXT record's value as Route 53 holds it: one or more quoted character-strings (<c>"v=spf1 ..." "-all"</c>),
/// each at most <see cref="MaxStringLength"/> characters, with <c>\"</c>, <c>\\</c> and <c>\ddd</c> escapes. A
/// reader joins the strings with nothing between them (RFC 7208 3.3), so a split may fall anywhere.
/// </summary>
public static class TxtValue
{
    /// <summary>The longest character-string DNS can carry (one length octet).</summary>
    public const int MaxStringLength = 255;

    /// <summary>The text of <paramref name="value"/>: its strings unescaped and joined.</summary>
    /// <exception cref="FormatException">The value is not a sequence of quoted strings.</exception>
    public static string Join(string value) => string.Concat(Strings(value));

    /// <summary>The unescaped character-strings of <paramref name="value"/>.</summary>
    public static IReadOnlyList<string> Strings(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var strings = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < value.Length && value[i] == ' ')
                i++;
            if (i == value.Length)
                return strings;
            if (value[i] != '"')
                throw new FormatException($"TXT value {value}: expected '\"' at position {i + 1}");
            var text = new StringBuilder();
            i++;
            while (true)
            {
                if (i >= value.Length)
                    throw new FormatException($"TXT value {value}: a string is not closed");
                var c = value[i++];
                if (c == '"')
                    break;
                if (c != '\\')
                {
                    text.Append(c);
                    continue;
                }
                if (i >= value.Length)
                    throw new FormatException($"TXT value {value}: it ends in an escape");
                if (i + 3 <= value.Length && !value.AsSpan(i, 3).ContainsAnyExceptInRange('0', '9'))
                {
                    text.Append((char)int.Parse(value.AsSpan(i, 3), CultureInfo.InvariantCulture));
                    i += 3;
                }
                else
                    text.Append(value[i++]);
            }
            strings.Add(text.ToString());
        }
    }

    /// <summary>
    /// <paramref name="text"/> as a Route 53 TXT value: quoted strings of at most <see cref="MaxStringLength"/>
    /// characters each (counted before escaping, as DNS counts them), split at the last space that keeps a string
    /// within the limit so each piece stays readable, else at the limit.
    /// </summary>
    public static string Format(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = new List<string>();
        var rest = text;
        while (rest.Length > MaxStringLength)
        {
            // A split just before a space keeps the space at the start of the next string; joining restores it.
            var cut = rest.LastIndexOf(' ', MaxStringLength);
            if (cut <= 0)
                cut = MaxStringLength;
            pieces.Add(rest[..cut]);
            rest = rest[cut..];
        }
        pieces.Add(rest);
        return string.Join(' ', pieces.Select(Quote));
    }

    static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
