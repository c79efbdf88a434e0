using System.Text.Json;
using System.Text.Json.Serialization;

namespace CutoverEngine.Engine.Reports;

/// <summary>The report as JSON: camelCase names, ISO 8601 times, nulls kept so every field is always present.</summary>
public static class WaveReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(WaveReport report) => JsonSerializer.Serialize(report, Options);

    public static WaveReport Deserialize(string json) =>
        JsonSerializer.Deserialize<WaveReport>(json, Options) ?? throw new JsonException("The report JSON is null.");
}
