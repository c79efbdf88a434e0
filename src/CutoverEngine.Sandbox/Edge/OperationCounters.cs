namespace CutoverEngine.Sandbox.Edge;

public sealed class OperationCounters
{
    long _accepted,
        _throttled,
        _faulted,
        _refused;
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Throttled => Interlocked.Read(ref _throttled);
    public long Faulted => Interlocked.Read(ref _faulted);

    /// <summary>Requests answered with a client error other than throttling (bad input, not found,
    /// conflicts).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public void CountAccepted() => Interlocked.Increment(ref _accepted);

    public void CountThrottled() => Interlocked.Increment(ref _throttled);

    public void CountFaulted() => Interlocked.Increment(ref _faulted);

    public void CountRefused() => Interlocked.Increment(ref _refused);
}
