namespace CutoverEngine.Sandbox.Edge;

/// <summary>A token bucket as AWS describes its API throttling: a burst capacity refilled at a steady rate.</summary>
public sealed class TokenBucket(double burst, double perSecond, TimeProvider clock)
{
    readonly Lock _gate = new();
    double _tokens = burst;
    long _lastTicks = clock.GetTimestamp();

    public double Burst { get; } = burst;
    public double PerSecond { get; } = perSecond;

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            var elapsed = clock.GetElapsedTime(_lastTicks, now).TotalSeconds;
            _lastTicks = now;
            _tokens = Math.Min(Burst, _tokens + elapsed * PerSecond);
            if (_tokens < 1)
                return false;
            _tokens -= 1;
            return true;
        }
    }
}
