namespace CutoverEngine.Sandbox.Dns;

/// <summary>What the responder has done since it started; counters only grow.</summary>
public sealed class DnsResponderStatistics
{
    long _queries,
        _formatErrors,
        _dropped,
        _serverFailures;

    /// <summary>Messages received over UDP and TCP, well-formed or not.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>Messages answered with FORMERR.</summary>
    public long FormatErrors => Interlocked.Read(ref _formatErrors);

    /// <summary>Messages not answered at all: shorter than a header, or responses rather than queries.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queries that met an error while being answered (SERVFAIL, or a failed send).</summary>
    public long ServerFailures => Interlocked.Read(ref _serverFailures);

    internal void CountQuery() => Interlocked.Increment(ref _queries);

    internal void CountFormatError() => Interlocked.Increment(ref _formatErrors);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);

    internal void CountServerFailure() => Interlocked.Increment(ref _serverFailures);
}
