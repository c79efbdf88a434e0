namespace CutoverEngine.Aws.Resilience;

/// <summary>
/// Marks the AWS calls made on behalf of a customer whose sending is paused, carried with the async flow like
/// <see cref="Recording.AwsCallScope"/>. Every second such a call waits for a rate-limit permit is a second of the
/// customer's downtime, while a read for a cutover that has not paused yet costs nobody anything by waiting, so the
/// account's <see cref="PacingRateLimiter"/> serves urgent callers first. The quota itself is never exceeded.
/// </summary>
public static class AwsCallPriority
{
    private static readonly AsyncLocal<bool> Flag = new();

    /// <summary>True inside an <see cref="Urgent"/> scope.</summary>
    public static bool IsUrgent => Flag.Value;

    /// <summary>Calls made until the result is disposed go ahead of non-urgent callers in the rate limiter's
    /// line.</summary>
    public static IDisposable Urgent(bool urgent = true)
    {
        var previous = Flag.Value;
        Flag.Value = urgent;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => Flag.Value = previous;
    }
}
