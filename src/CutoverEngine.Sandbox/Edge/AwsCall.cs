using CutoverEngine.Sandbox.World;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Sandbox.Edge;

/// <summary>What a service handler gets for one request.</summary>
public sealed class AwsCall
{
    public required HttpContext Http { get; init; }
    public required AccountState Account { get; init; }

    /// <summary>Who signed the call (base user or assumed-role session); null when the signature named no known
    /// key.</summary>
    public SandboxPrincipal? Principal { get; init; }
    public required string RequestId { get; init; }
    public required byte[] Body { get; init; }
    public required SandboxWorld World { get; init; }
    public required SandboxMetrics Metrics { get; init; }

    /// <summary>Query-protocol parameters: the query string plus a form-encoded body.</summary>
    public IReadOnlyDictionary<string, string> Parameters => _parameters ??= ParseParameters();
    Dictionary<string, string>? _parameters;

    Dictionary<string, string> ParseParameters()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Http.Request.Query)
            result[k] = v.ToString();
        var contentType = Http.Request.ContentType ?? "";
        if (
            Body.Length > 0
            && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
        )
        {
            foreach (
                var pair in System.Text.Encoding.UTF8.GetString(Body).Split('&', StringSplitOptions.RemoveEmptyEntries)
            )
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                result[key] = value;
            }
        }
        return result;
    }
}
