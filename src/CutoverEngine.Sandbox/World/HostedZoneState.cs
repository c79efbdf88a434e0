using System.Collections.Immutable;

namespace CutoverEngine.Sandbox.World;

/// <summary>
/// One hosted zone. The API view (<see cref="Current"/>) changes as soon as a batch is accepted; the DNS view
/// (<see cref="PublishedAt"/>) shows a change only once it is INSYNC, which is what makes the sandbox's
/// name servers lag its API the way Route 53's do.
/// </summary>
public sealed class HostedZoneState
{
    readonly List<ZoneChange> _changes = [];

    public HostedZoneState(
        string id,
        string name,
        string accountId,
        ImmutableSortedDictionary<RecordKey, RecordSet> records,
        DateTimeOffset createdAt
    )
    {
        Id = id;
        Name = DnsName.Normalize(name);
        AccountId = accountId;
        Current = records;
        Initial = records;
        CreatedAt = createdAt;
    }

    public string Id { get; }
    public string Name { get; }
    public string AccountId { get; }
    public DateTimeOffset CreatedAt { get; }
    ImmutableSortedDictionary<RecordKey, RecordSet> Initial { get; }

    /// <summary>Records as the API sees them (after every accepted batch).</summary>
    public ImmutableSortedDictionary<RecordKey, RecordSet> Current { get; private set; }

    public IReadOnlyList<ZoneChange> Changes => _changes;

    public ZoneChange? LastChange => _changes.Count == 0 ? null : _changes[^1];

    /// <summary>Records as the zone's name servers answer at <paramref name="now"/>: the newest INSYNC
    /// snapshot.</summary>
    public ImmutableSortedDictionary<RecordKey, RecordSet> PublishedAt(DateTimeOffset now)
    {
        for (int i = _changes.Count - 1; i >= 0; i--)
            if (_changes[i].InsyncAt <= now)
                return _changes[i].Snapshot;
        return Initial;
    }

    /// <summary>Applies an already-validated batch; the caller holds the world's gate.</summary>
    public ZoneChange Apply(
        ImmutableSortedDictionary<RecordKey, RecordSet> after,
        string changeId,
        string? comment,
        DateTimeOffset submittedAt,
        DateTimeOffset insyncAt
    )
    {
        Current = after;
        var change = new ZoneChange(changeId, Id, comment, submittedAt, insyncAt, after);
        _changes.Add(change);
        // Old snapshots are only needed while a newer change is still pending; keep the list short.
        if (_changes.Count > 64)
            _changes.RemoveRange(0, _changes.Count - 64);
        return change;
    }
}
