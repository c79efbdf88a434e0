namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// One attempt to deliver a webhook event to a receiver (<see cref="Webhooks.WebhookDispatcher"/>). The secret is
/// never part of it.
/// </summary>
/// <param name="Receiver">The receiver's configured name.</param>
/// <param name="EventId">The delivered event's id (the same on every attempt: receivers deduplicate by it).</param>
/// <param name="WebhookEvent">The webhook event name (<see cref="Webhooks.WebhookEvents"/>).</param>
/// <param name="Sequence">The journal entry the event was made from.</param>
/// <param name="Status">The HTTP status the receiver answered; absent when it did not answer.</param>
/// <param name="Error">Why the attempt failed; absent when it was delivered.</param>
/// <param name="Outcome">delivered, retrying (another attempt follows after <paramref name="RetryInMs"/>) or
/// gave-up (Webhooks:RetryFor is spent).</param>
public sealed record WebhookDeliveryPayload(
    string Receiver,
    string EventId,
    string WebhookEvent,
    long Sequence,
    int Attempt,
    int? Status,
    string? Error,
    string Outcome,
    double? RetryInMs,
    double Ms
) : IJournalPayload
{
    public const string Event = "webhook-delivery";
    public const string Delivered = "delivered";
    public const string Retrying = "retrying";
    public const string GaveUp = "gave-up";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Wave;
}
