namespace CutoverEngine.Engine.Cutovers.BlastRadius;

/// <summary>What the cutovers of a wave mean to change: their MTA host names' A records and their Elastic IPs'
/// associations. The Own sets: this cutover's share of them.</summary>
public sealed record ChangeIntent(
    IReadOnlySet<string> RecordNames,
    IReadOnlySet<string> AllocationIds,
    IReadOnlySet<string> OwnRecordNames,
    IReadOnlySet<string> OwnAllocationIds
);
