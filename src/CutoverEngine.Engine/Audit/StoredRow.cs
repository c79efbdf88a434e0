namespace CutoverEngine.Engine.Audit;

/// <summary>One journal row exactly as stored.</summary>
internal sealed record StoredRow(
    long Sequence,
    string AtText,
    string Actor,
    string Event,
    string? Wave,
    string? Environment,
    string? WorkflowInstance,
    string? DefinitionId,
    long? DefinitionVersion,
    string? DefinitionHash,
    string? Step,
    string? Payload,
    string PayloadHash,
    string PreviousHash,
    string Hash
)
{
    public DateTimeOffset? At => JournalDatabase.TryParseTime(AtText, out var at) ? at : null;
}
