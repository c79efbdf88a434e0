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
        (Read(() => JsonConvert.DeserializeObject<StoredPointer>(json, EnvelopeSettings), what)
         ?? throw new InvalidDataException($"{what} is stored as JSON null.")).ToPointer(what);

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

/// <summary>
/// The stored shape of an execution pointer: every field of WorkflowCore's ExecutionPointer, with its object-typed
/// values (persistence data, event data, outcome, context item, extension attributes) each held as type-named JSON.
/// Kept separate from ExecutionPointer so the stored format changes only when this file does.
/// </summary>
internal sealed class StoredPointer
{
    public string Id { get; set; } = "";
    public int StepId { get; set; }
    public string? StepName { get; set; }
    public PointerStatus Status { get; set; }
    public bool Active { get; set; }
    public DateTime? SleepUntil { get; set; }
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public int RetryCount { get; set; }
    public string? PredecessorId { get; set; }
    public List<string> Children { get; set; } = [];
    public List<string> Scope { get; set; } = [];
    public string? EventName { get; set; }
    public string? EventKey { get; set; }
    public bool EventPublished { get; set; }
    public string? EventData { get; set; }
    public string? PersistenceData { get; set; }
    public string? ContextItem { get; set; }
    public string? Outcome { get; set; }
    public Dictionary<string, string?> ExtensionAttributes { get; set; } = new(StringComparer.Ordinal);

    public static StoredPointer From(ExecutionPointer p) => new()
    {
        Id = p.Id,
        StepId = p.StepId,
        StepName = p.StepName,
        Status = p.Status,
        Active = p.Active,
        SleepUntil = p.SleepUntil,
        StartTime = p.StartTime,
        EndTime = p.EndTime,
        RetryCount = p.RetryCount,
        PredecessorId = p.PredecessorId,
        Children = p.Children is null ? [] : [.. p.Children],
        Scope = p.Scope is null ? [] : [.. p.Scope],
        EventName = p.EventName,
        EventKey = p.EventKey,
        EventPublished = p.EventPublished,
        EventData = PersistenceJson.Serialize(p.EventData),
        PersistenceData = PersistenceJson.Serialize(p.PersistenceData),
        ContextItem = PersistenceJson.Serialize(p.ContextItem),
        Outcome = PersistenceJson.Serialize(p.Outcome),
        ExtensionAttributes = p.ExtensionAttributes is null
            ? new(StringComparer.Ordinal)
            : p.ExtensionAttributes.ToDictionary(kv => kv.Key, kv => PersistenceJson.Serialize(kv.Value), StringComparer.Ordinal),
    };

    public ExecutionPointer ToPointer(string what)
    {
        var pointer = new ExecutionPointer
        {
            Id = Id,
            StepId = StepId,
            StepName = StepName,
            Status = Status,
            Active = Active,
            SleepUntil = SleepUntil,
            StartTime = StartTime,
            EndTime = EndTime,
            RetryCount = RetryCount,
            PredecessorId = PredecessorId,
            Children = [.. Children],
            Scope = Scope,
            EventName = EventName,
            EventKey = EventKey,
            EventPublished = EventPublished,
            EventData = PersistenceJson.Deserialize(EventData, $"{what}: event data"),
            PersistenceData = PersistenceJson.Deserialize(PersistenceData, $"{what}: persistence data"),
            ContextItem = PersistenceJson.Deserialize(ContextItem, $"{what}: context item"),
            Outcome = PersistenceJson.Deserialize(Outcome, $"{what}: outcome"),
        };
        foreach (var (key, json) in ExtensionAttributes)
            pointer.ExtensionAttributes[key] = PersistenceJson.Deserialize(json, $"{what}: extension attribute '{key}'")!;
        return pointer;
    }
}

/// <summary>All times are stored as UTC ticks. Local times are converted; Unspecified is taken to be UTC already.</summary>
internal static class UtcTicks
{
    public static long From(DateTime value) =>
        value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;

    public static long? From(DateTime? value) => value.HasValue ? From(value.Value) : null;

    public static DateTime ToDateTime(long ticks) => new(ticks, DateTimeKind.Utc);

    public static DateTime? ToDateTime(long? ticks) => ticks.HasValue ? ToDateTime(ticks.Value) : null;
}
