namespace CutoverEngine.Engine.Webhooks;

/// <summary>The headers of a delivery besides the signature (<see cref="WebhookSignature.Header"/>).</summary>
public static class WebhookHeaders
{
    /// <summary>The event's id, the same on every attempt (<see cref="WebhookEvents.IdOf"/>).</summary>
    public const string EventId = "X-Cutover-Event-Id";

    /// <summary>The webhook event name (<see cref="WebhookEvents.All"/>).</summary>
    public const string Event = "X-Cutover-Event";

    /// <summary>1 for the first attempt, counting up with each retry.</summary>
    public const string Attempt = "X-Cutover-Delivery-Attempt";
}
