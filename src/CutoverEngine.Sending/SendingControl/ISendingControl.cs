namespace CutoverEngine.Sending.SendingControl;

/// <summary>
/// The one small interface the engine needs of an MTA's sending control: pause with a lease, renew it, resume,
/// status. Every call is idempotent: pausing a paused environment renews its lease and keeps its pause instant;
/// resuming a running one is a no-op that says so.
/// </summary>
public interface ISendingControl
{
    Task<SendingStatus> PauseAsync(
        SendingControlAddress control,
        TimeSpan lease,
        string reason,
        string requestId,
        CancellationToken ct = default
    );

    Task<SendingStatus> RenewLeaseAsync(SendingControlAddress control, TimeSpan lease, CancellationToken ct = default);

    Task<SendingStatus> ResumeAsync(SendingControlAddress control, string reason, CancellationToken ct = default);

    Task<SendingStatus> GetStatusAsync(SendingControlAddress control, CancellationToken ct = default);
}

/// <summary>What the sending side reports about itself.</summary>
public sealed record SendingStatus
{
    public string EnvironmentId { get; init; } = "";

    /// <summary>paused, lease-renewed, resumed, already-paused, already-running; null on a status read.</summary>
    public string? Outcome { get; init; }
    public bool Paused { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public long QueueDepth { get; init; }
    public long Produced { get; init; }
    public long Delivered { get; init; }
    public long FailedAttempts { get; init; }
    public Dictionary<string, long> DeliveredByAddress { get; init; } = [];
    public Dictionary<string, long> DeliveredByHost { get; init; } = [];
    public List<PauseRecord> Pauses { get; init; } = [];
    public DateTimeOffset? LastDeliveryAt { get; init; }
}

/// <summary>One pause as the sending side recorded it; ResumedBy is "api" or "lease-expiry".</summary>
public sealed record PauseRecord
{
    /// <summary>The <see cref="ResumedBy"/> of a pause whose lease lapsed and the sending side resumed by
    /// itself.</summary>
    public const string ResumedByLeaseExpiry = "lease-expiry";

    public DateTimeOffset PausedAt { get; init; }
    public DateTimeOffset? ResumedAt { get; init; }
    public string? ResumedBy { get; init; }
    public string? Reason { get; init; }
    public string? RequestId { get; init; }
    public long? QueueDepthAtPause { get; init; }
    public long? ProducedAtPause { get; init; }
    public long? QueueDepthAtResume { get; init; }
    public long? ProducedAtResume { get; init; }
}

/// <summary>A sending control refused or could not be reached; names the environment URL, status and body.</summary>
public sealed class SendingControlException(Uri control, int? status, string detail, Exception? inner = null)
    : Exception($"sending control {control}: {(status is { } s ? $"HTTP {s}: " : "")}{detail}", inner)
{
    public Uri Control { get; } = control;
    public int? Status { get; } = status;
}
