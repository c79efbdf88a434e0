using System.Collections.Immutable;

namespace CutoverEngine.Sandbox.World;

public sealed record ZoneChange(
    string Id,
    string ZoneId,
    string? Comment,
    DateTimeOffset SubmittedAt,
    DateTimeOffset InsyncAt,
    ImmutableSortedDictionary<RecordKey, RecordSet> Snapshot
)
{
    public bool IsInsync(DateTimeOffset now) => now >= InsyncAt;
}
