namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// One of the instance's other functions failed while sending was paused, though it answered just before the
/// pause: the customer was promised nothing else would be affected. An incident of its own kind; it does not roll
/// the cutover back (sending works), it is reported. Written at the function's first failure in the pause, once per
/// cutover and function (a restart mid-pause finds it in the journal).
/// </summary>
public sealed record OtherFunctionAffectedPayload(
    string Function,
    string Target,
    string Error,
    DateTimeOffset FailedAt,
    DateTimeOffset? PausedAt
) : IJournalPayload
{
    public const string Event = "other-function-affected";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
