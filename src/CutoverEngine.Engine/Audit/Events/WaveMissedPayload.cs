namespace CutoverEngine.Engine.Audit.Events;

/// <summary>A scheduled wave fell due while no host ran, and more than the grace period passed.</summary>
/// <param name="GracePeriod">As <see cref="TimeSpan"/> text (c format).</param>
public sealed record WaveMissedPayload(DateTimeOffset? ScheduledFor, DateTimeOffset DetectedAt, string GracePeriod)
    : IJournalPayload
{
    public const string Event = "wave-missed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
