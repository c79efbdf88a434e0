using System.Text.Json;
using CutoverEngine.Agent.Leases;

namespace CutoverEngine.Agent.Http;

/// <summary>The optional JSON body of pause, lease and resume: <c>{leaseSeconds, reason, requestId}</c>.</summary>
public sealed record ControlBody(double? LeaseSeconds, string? Reason, string? RequestId)
{
    /// <summary>Parses a body; a malformed one is refused naming the field at fault.</summary>
    public static ControlBody Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return new ControlBody(null, null, null);
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad("body", $"the body must be a JSON object; got {root.ValueKind}");
            double? lease = null;
            string? reason = null,
                requestId = null;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "leaseSeconds" when p.Value.ValueKind != JsonValueKind.Null:
                        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out var s) || s <= 0)
                            throw Bad(
                                "leaseSeconds",
                                $"leaseSeconds must be a positive number; got {p.Value.GetRawText()}"
                            );
                        lease = s;
                        break;
                    case "reason":
                        reason = Text(p, 500);
                        break;
                    case "requestId":
                        requestId = Text(p, 200);
                        break;
                }
            }
            return new ControlBody(lease, reason, requestId);
        }
        catch (JsonException e)
        {
            throw Bad("body", $"the body is not valid JSON: {e.Message}");
        }
    }

    static string? Text(JsonProperty p, int max)
    {
        if (p.Value.ValueKind == JsonValueKind.Null)
            return null;
        if (p.Value.ValueKind != JsonValueKind.String)
            throw Bad(p.Name, $"{p.Name} must be a string; got {p.Value.GetRawText()}");
        var text = p.Value.GetString()!;
        return text.Length <= max ? text : throw Bad(p.Name, $"{p.Name} is longer than {max} characters");
    }

    static AgentRequestException Bad(string field, string message) => new(400, "MalformedBody", message, field);
}
