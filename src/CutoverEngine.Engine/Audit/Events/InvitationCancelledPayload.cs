namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// The relay accepted a METHOD:CANCEL of an environment's invitation to a wave's window (UID WAVE.ENV@cutover-engine),
/// so the customer's calendar drops it: the environment moved to another wave, or the wave was cancelled.
/// </summary>
/// <param name="Sequence">The cancel's SEQUENCE, above every invitation of that event sent before.</param>
/// <param name="Reason">Why the window is off, as the operation said it.</param>
public sealed record InvitationCancelledPayload(
    string Customer,
    int Sequence,
    string Reason,
    DateTimeOffset CancelledAt
) : IJournalPayload
{
    public const string Event = "invitation-cancelled";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
