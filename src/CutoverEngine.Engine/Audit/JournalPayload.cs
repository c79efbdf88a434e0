using System.Globalization;
using System.Text.Json;

namespace CutoverEngine.Engine.Audit;

/// <summary>
/// Tolerant access to a payload's fields: a payload written by an older engine, or pruned, must still render.
/// A field that is missing or of another type reads as null.
/// </summary>
public readonly struct JournalPayload
{
    readonly JsonElement _root;

    JournalPayload(JsonElement root) => _root = root;

    /// <summary>False when the payload was pruned, absent, or not a JSON object.</summary>
    public bool IsPresent => _root.ValueKind == JsonValueKind.Object;

    public JsonElement Root => _root;

    public static JournalPayload Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return default;
        try
        {
            using var document = JsonDocument.Parse(json);
            return new JournalPayload(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return default;
        }
    }

    public JournalPayload Object(string name) =>
        IsPresent && _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? new JournalPayload(value)
            : default;

    public IEnumerable<JournalPayload> Objects(string name) =>
        IsPresent && _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
                .EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => new JournalPayload(e))
                .ToList()
            : [];

    public string? String(string name)
    {
        if (!IsPresent || !_root.TryGetProperty(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
    }

    public double? Number(string name)
    {
        if (!IsPresent || !_root.TryGetProperty(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
            return number;
        return
            value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            ? number
            : null;
    }

    public int? Integer(string name) => Number(name) is { } n && n >= int.MinValue && n <= int.MaxValue ? (int)n : null;

    public bool? Boolean(string name) =>
        IsPresent
        && _root.TryGetProperty(name, out var value)
        && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    public DateTimeOffset? Time(string name) =>
        String(name) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>A list of strings, or of anything rendered as its JSON text.</summary>
    public IReadOnlyList<string> Strings(string name) =>
        IsPresent && _root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
                .EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())
                .ToList()
            : [];
}
