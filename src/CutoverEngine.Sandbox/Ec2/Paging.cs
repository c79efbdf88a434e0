using System.Text;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>Opaque NextToken values: a kind and a resume key, base64url-encoded so callers cannot depend on their
/// form.</summary>
public static class Paging
{
    public static string Encode(string kind, string key) =>
        Convert
            .ToBase64String(Encoding.UTF8.GetBytes(kind + "|" + key))
            .TrimEnd('=')
            .Replace('+', '-')
            .Replace('/', '_');

    /// <summary>The resume key of <paramref name="token"/>, or InvalidPaginationToken when it is not one this call
    /// issued.</summary>
    public static string Decode(string token, string kind, Func<string, bool> isValidKey)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            var bar = text.IndexOf('|');
            if (bar > 0 && text[..bar] == kind)
            {
                var key = text[(bar + 1)..];
                if (isValidKey(key))
                    return key;
            }
        }
        catch (FormatException) { }
        throw new Ec2Error(
            400,
            "InvalidPaginationToken",
            $"The pagination token '{token}' is not valid for this call."
        );
    }
}
