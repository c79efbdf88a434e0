using System.Text.Json.Serialization;

namespace CutoverEngine.Agent.Leases;

/// <summary>
/// One environment's status on the wire: the fields the engine's sending-control client reads (environmentId,
/// outcome, paused, pausedAt, leaseExpiresAt, queueDepth, pauses, ...) plus what the agent and its driver know.
/// </summary>
public sealed record AgentStatus
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Outcome { get; init; }
    public required string EnvironmentId { get; init; }
    public required string Driver { get; init; }
    public bool Paused { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public int LeaseRenewals { get; init; }
    public long QueueDepth { get; init; }
    public long Deferred { get; init; }

    /// <summary>What the MTA itself says (null when it could not be read).</summary>
    public bool? MtaPaused { get; init; }
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();
    public string? ForeignPause { get; init; }
    public string? MtaError { get; init; }
    public string? MtaDetail { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>"resumed by lease-expiry" when the latest pause ended by its lease, else null.</summary>
    public string? LastResume { get; init; }
    public IReadOnlyList<AgentPauseRecord> Pauses { get; init; } = [];
    public DateTimeOffset Now { get; init; }
}
