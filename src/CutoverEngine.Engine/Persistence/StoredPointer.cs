using WorkflowCore.Models;

namespace CutoverEngine.Engine.Persistence;

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

    public static StoredPointer From(ExecutionPointer p) =>
        new()
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
                : p.ExtensionAttributes.ToDictionary(
                    kv => kv.Key,
                    kv => PersistenceJson.Serialize(kv.Value),
                    StringComparer.Ordinal
                ),
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
            pointer.ExtensionAttributes[key] = PersistenceJson.Deserialize(
                json,
                $"{what}: extension attribute '{key}'"
            )!;
        return pointer;
    }
}
