namespace CutoverEngine.Sandbox.Dns;

/// <summary>Limits of the sandbox's authoritative DNS responder. Every default is the value stated here.</summary>
public sealed class DnsResponderOptions
{
    /// <summary>
    /// Largest UDP response, and the size announced in our OPT record. Default 1232 (DNS Flag Day 2020: no IP
    /// fragmentation). A client advertising less gets less; a query without EDNS gets 512 (RFC 1035).
    /// </summary>
    public int MaxUdpPayloadSize { get; set; } = 1232;

    /// <summary>UDP queries being answered at once; further datagrams wait in the socket buffer. Default 64.</summary>
    public int MaxConcurrentUdpQueries { get; set; } = 64;

    /// <summary>
    /// TCP connections open at once. At the limit the connection idle longest is closed to make room once it has
    /// been idle for <see cref="TcpIdleBeforeEviction"/> (RFC 7766 6.2.3); until then new clients wait in the
    /// listen backlog. Idle connections hold no buffer. Default 256.
    /// </summary>
    public int MaxTcpConnections { get; set; } = 256;

    /// <summary>How long a connection must have been idle before a new one may push it out at the limit. Default 500
    /// ms.</summary>
    public TimeSpan TcpIdleBeforeEviction { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A TCP connection with no complete query for this long is closed (RFC 7766 6.2.3). Default 10
    /// s.</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts at finding a port free for both UDP and TCP when port 0 is asked for. Default 32.</summary>
    public int PortPickAttempts { get; set; } = 32;

    internal void Validate()
    {
        if (MaxUdpPayloadSize is < 512 or > 65535)
            throw new ArgumentOutOfRangeException(
                nameof(MaxUdpPayloadSize),
                MaxUdpPayloadSize,
                "DNS responder: MaxUdpPayloadSize must be between 512 and 65535"
            );
        if (MaxConcurrentUdpQueries < 1)
            throw new ArgumentOutOfRangeException(
                nameof(MaxConcurrentUdpQueries),
                MaxConcurrentUdpQueries,
                "DNS responder: MaxConcurrentUdpQueries must be at least 1"
            );
        if (MaxTcpConnections < 1)
            throw new ArgumentOutOfRangeException(
                nameof(MaxTcpConnections),
                MaxTcpConnections,
                "DNS responder: MaxTcpConnections must be at least 1"
            );
        if (TcpIdleBeforeEviction < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(
                nameof(TcpIdleBeforeEviction),
                TcpIdleBeforeEviction,
                "DNS responder: TcpIdleBeforeEviction must not be negative"
            );
        if (TcpIdleTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(
                nameof(TcpIdleTimeout),
                TcpIdleTimeout,
                "DNS responder: TcpIdleTimeout must be positive"
            );
        if (PortPickAttempts < 1)
            throw new ArgumentOutOfRangeException(
                nameof(PortPickAttempts),
                PortPickAttempts,
                "DNS responder: PortPickAttempts must be at least 1"
            );
    }
}
