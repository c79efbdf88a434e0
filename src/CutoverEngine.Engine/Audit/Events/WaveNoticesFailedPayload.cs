namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The relay did not take a wave's notices while it was being scheduled (or rescheduled): the wave stayed as it was
/// and no notice was recorded. For <see cref="CancelOperation"/> and <see cref="MoveOperation"/> the operation stands
/// and only the METHOD:CANCEL of the customer's invitation was not sent (a move's stays owed: moving again sends it).
/// </summary>
/// <param name="Operation">schedule, reschedule, move an environment into (its notice), cancel or move (the old
/// invitation's cancel).</param>
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

    /// <summary>A wave's cancel: it stands; the cancel of its invitations was refused.</summary>
    public const string CancelOperation = "cancel";

    /// <summary>A move: it stands; the cancel of the invitation of the wave the environment left was refused.</summary>
    public const string MoveOperation = "move";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
