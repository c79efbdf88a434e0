namespace CutoverEngine.Sandbox.Faults;

public enum FaultKind
{
    None,
    InternalError,
    ServiceUnavailable,
    Slow,
    DroppedConnection,
}

/// <summary>
/// Rolls seeded dice for each AWS request. With the same seed and the same order of requests a run meets the
/// same faults; concurrent clients change the order, so reproducibility is per sequence of requests.
/// The rate can be changed while running (tests turn faults on after set-up).
/// </summary>
public sealed class FaultInjector
{
    readonly Lock _gate = new();
    Random _random;

    public FaultInjector(double rate, int seed, int latencyMs)
    {
        Rate = rate;
        LatencyMs = latencyMs;
        _random = new Random(seed);
    }

    public double Rate { get; set; }
    public int LatencyMs { get; set; }

    public void Reseed(int seed)
    {
        lock (_gate)
            _random = new Random(seed);
    }

    readonly HashSet<string> _refused = new(StringComparer.Ordinal);

    /// <summary>
    /// Refuses every call of <paramref name="action"/> (e.g. <c>ec2:DisassociateAddress</c>,
    /// <c>route53:ChangeResourceRecordSets</c>) with a non-retryable error until <see cref="Allow"/>: a restore that
    /// fails for good, as a denied permission or a broken account does, which no retry within the step mends.
    /// </summary>
    public void Refuse(string action)
    {
        lock (_gate)
            _refused.Add(action);
    }

    public void Allow(string action)
    {
        lock (_gate)
            _refused.Remove(action);
    }

    public bool Refuses(string action)
    {
        lock (_gate)
            return _refused.Contains(action);
    }

    public FaultKind Roll()
    {
        if (Rate <= 0)
            return FaultKind.None;
        lock (_gate)
        {
            if (_random.NextDouble() >= Rate)
                return FaultKind.None;
            return (FaultKind)(1 + _random.Next(4));
        }
    }
}
