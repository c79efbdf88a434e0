namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The relay did not take a wave's notices while it was being scheduled (or rescheduled): the wave stayed as it was
/// and no notice was recorded.
/// </summary>
/// <param name="Operation">schedule, reschedule or cancel.</param>
/// <param name="EnvironmentId">The environment whose notice the relay refused.</param>
/// <param name="Accepted">Environments whose notice the relay had accepted before (sent, not recorded).</param>
public sealed record WaveNoticesFailedPayload(
    string Operation,
    string EnvironmentId,
    string Error,
    IReadOnlyList<string> Accepted
) : IJournalPayload
{
    public const string Event = "wave-notices-failed";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
