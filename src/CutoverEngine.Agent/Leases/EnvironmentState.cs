namespace CutoverEngine.Agent.Leases;

/// <summary>
/// What the agent must remember about one environment across its own restarts: whether it paused it, since when,
/// until when the lease runs, and which request ids it has already applied.
/// </summary>
public sealed record EnvironmentState
{
    public required string EnvironmentId { get; init; }
    public bool Paused { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public string? Reason { get; init; }
    public string? RequestId { get; init; }
    public int LeaseRenewals { get; init; }

    /// <summary>The latest pauses, oldest first (at most <see cref="SendingPauses.PausesKept"/>).</summary>
    public IReadOnlyList<AgentPauseRecord> Pauses { get; init; } = [];

    /// <summary>Request ids of pauses already applied (at most <see cref="SendingPauses.RequestIdsKept"/>).</summary>
    public IReadOnlyList<string> AppliedRequestIds { get; init; } = [];
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
}

/// <summary>
/// One pause as the agent recorded it, in the wire shape the engine reads. <see cref="ResumedBy"/> is "api",
/// "lease-expiry" or "pause-failed" (the MTA refused the pause and it was undone).
/// </summary>
public sealed record AgentPauseRecord
{
    public DateTimeOffset PausedAt { get; init; }
    public DateTimeOffset LeaseExpiresAt { get; init; }

    /// <summary>When the agent began resuming (the MTA's commands then take their own time until <see
    /// cref="ResumedAt"/>).</summary>
    public DateTimeOffset? ResumeStartedAt { get; init; }
    public DateTimeOffset? ResumedAt { get; init; }
    public string? ResumedBy { get; init; }
    public string? Reason { get; init; }
    public string? RequestId { get; init; }
    public int LeaseRenewals { get; init; }
    public long? QueueDepthAtPause { get; init; }
    public long? QueueDepthAtResume { get; init; }
}

/// <summary>The whole state file: every environment of this agent.</summary>
public sealed record AgentState
{
    public int Version { get; init; } = 1;
    public Dictionary<string, EnvironmentState> Environments { get; init; } = new(StringComparer.Ordinal);
}
