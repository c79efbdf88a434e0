using Newtonsoft.Json;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence;

/// <summary>
/// JSON for object-typed values (workflow data, event data, pointer state). Type names are written for every
/// object so that a workflow's data class, an ActivityResult or a step's PersistenceData comes back as the same CLR
/// type, as WorkflowCore's own providers do. This trusts the database: whoever can write the file can name types to
/// instantiate, so the file must be as protected as the engine's binaries.
/// </summary>
internal static class PersistenceJson
{
    // Same conventions as WorkflowCore's own providers, so data classes behave as they would there.
    private static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.All,
        TypeNameAssemblyFormatHandling = TypeNameAssemblyFormatHandling.Simple,
        DateTimeZoneHandling = DateTimeZoneHandling.RoundtripKind,
    };

    // The pointer envelope is our own type with no object-typed members: no type names needed, and its
    // collections are rebuilt from the JSON rather than appended to defaults.
    private static readonly JsonSerializerSettings EnvelopeSettings = new()
    {
        TypeNameHandling = TypeNameHandling.None,
        DateTimeZoneHandling = DateTimeZoneHandling.RoundtripKind,
        ObjectCreationHandling = ObjectCreationHandling.Replace,
        NullValueHandling = NullValueHandling.Ignore,
    };

    public static string? Serialize(object? value) =>
        value is null ? null : JsonConvert.SerializeObject(value, Settings);

    public static object? Deserialize(string? json, string what) =>
        string.IsNullOrEmpty(json) ? null : Read(() => JsonConvert.DeserializeObject(json, Settings), what);

    public static string SerializePointer(ExecutionPointer pointer) =>
        JsonConvert.SerializeObject(StoredPointer.From(pointer), EnvelopeSettings);

    public static ExecutionPointer DeserializePointer(string json, string what) =>
        (
            Read(() => JsonConvert.DeserializeObject<StoredPointer>(json, EnvelopeSettings), what)
            ?? throw new InvalidDataException($"{what} is stored as JSON null.")
        ).ToPointer(what);

    private static T Read<T>(Func<T> read, string what)
    {
        try
        {
            return read();
        }
        catch (JsonException ex)
        {
            // The usual cause: a data class was renamed or moved to another assembly since the row was written.
            throw new InvalidDataException($"{what} could not be read back from its stored JSON: {ex.Message}", ex);
        }
    }
}
