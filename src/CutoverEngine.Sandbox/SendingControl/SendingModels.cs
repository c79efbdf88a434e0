using System.Text.Json;
using System.Text.Json.Serialization;

namespace CutoverEngine.Sandbox.SendingControl;

/// <summary>How the simulated sending applications behave. Every default is the value stated here.</summary>
public sealed class SendingControlOptions
{
    /// <summary>Wait after a failed delivery attempt before the next one. Default 200 ms. Real time (it paces
    /// sockets).</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>One DNS query's timeout. Default 1 s.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>DNS retries after a timeout. Default 1.</summary>
    public int DnsRetries { get; set; } = 1;

    /// <summary>Whole delivery attempt (resolve, connect, SMTP conversation). Default 10 s. Bounds how long a pause
    /// waits for an in-flight message.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest pause lease a caller may ask for. Default 86400 s (a day).</summary>
    public double MaxLeaseSeconds { get; set; } = 86400;

    /// <summary>Deliveries kept per environment for <see cref="SendingEnvironment.Deliveries"/>. Default 100000 (oldest
    /// dropped first).</summary>
    public int DeliveryJournalCapacity { get; set; } = 100_000;
}

/// <summary>A message waiting in an environment's queue. <see cref="Data"/> is the full message (headers, blank line,
/// body), CRLF line ends.</summary>
public sealed record OutgoingMessage(
    long Sequence,
    string MessageId,
    string From,
    string To,
    DateTimeOffset ProducedAt,
    string Data
);

/// <summary>One message handed over: where, to whom, and after how many attempts.</summary>
public sealed record DeliveryRecord(
    long Sequence,
    string MessageId,
    DateTimeOffset ProducedAt,
    DateTimeOffset DeliveredAt,
    string MtaHostName,
    string Address,
    string? HostId,
    string QueueId,
    int Attempts
);

/// <summary>
/// One pause of an environment. <see cref="ResumedBy"/> is "api" or "lease-expiry"; null while still paused. The
/// counters
/// taken at pause and resume let a caller check the domain's equation: queued at pause + produced while paused =
/// queued at resume, all of which must be delivered after the resume.
/// </summary>
public sealed record PauseRecord(
    DateTimeOffset PausedAt,
    DateTimeOffset? ResumedAt,
    string? ResumedBy,
    string? Reason,
    string? RequestId,
    DateTimeOffset LeaseExpiresAt,
    int LeaseRenewals,
    int QueueDepthAtPause,
    long ProducedAtPause,
    long DeliveredAtPause,
    int? QueueDepthAtResume,
    long? ProducedAtResume,
    DateTimeOffset? FirstDeliveryAfterResumeAt
);

/// <summary>
/// The sending state of one environment, as the HTTP API returns it. <see cref="Outcome"/> is set on answers to
/// pause/lease/resume ("paused", "already-paused", "lease-renewed", "resumed", "already-running") and absent on status
/// reads.
/// </summary>
public sealed record SendingStatus(
    string EnvironmentId,
    bool Paused,
    DateTimeOffset? PausedAt,
    DateTimeOffset? LeaseExpiresAt,
    int QueueDepth,
    bool InFlight,
    long Produced,
    long Delivered,
    IReadOnlyDictionary<string, long> DeliveredByAddress,
    IReadOnlyDictionary<string, long> DeliveredByHost,
    long FailedAttempts,
    string? LastFailure,
    DateTimeOffset? LastFailureAt,
    IReadOnlyList<PauseRecord> Pauses,
    DateTimeOffset? LastDeliveryAt,
    IReadOnlyList<string> MtaHostNames,
    double MessagesPerSecond,
    DateTimeOffset Now
)
{
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Outcome { get; init; }
}

/// <summary>A refused sending-control call: HTTP status, a code, the field at fault (400s), and a message naming the
/// problem.</summary>
public sealed class SendingControlException(
    int status,
    string error,
    string message,
    string? field = null,
    string? environmentId = null
) : Exception(message)
{
    public int Status { get; } = status;
    public string Error { get; } = error;
    public string? Field { get; } = field;
    public string? EnvironmentId { get; } = environmentId;
}

/// <summary>The JSON form of the sending-control API: camelCase, times as UTC ISO 8601 ending in Z.</summary>
public static class SendingControlJson
{
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = false };
        o.Converters.Add(new UtcTimeConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) =>
            DateTimeOffset.Parse(
                reader.GetString()!,
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal
            );

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(
                value.UtcDateTime.ToString(
                    "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'",
                    System.Globalization.CultureInfo.InvariantCulture
                )
            );
    }
}
