namespace CutoverEngine.Sandbox.Smtp;

/// <summary>How the simulated MTAs behave on the wire. Every default is the value stated here.</summary>
public sealed class MtaOptions
{
    /// <summary>
    /// A client silent this long (waiting for a command or a data line) is told 421 and disconnected. Default 60 s
    /// (RFC 5321 suggests 5 minutes; a sandbox frees its sockets sooner). Measured on real time, not the world's clock:
    /// it guards sockets, and a fake world clock must not hang up live connections.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest message accepted, announced as SIZE. Default 10 MiB.</summary>
    public long MaxMessageOctets { get; set; } = 10 * 1024 * 1024;

    /// <summary>Recipients per transaction. Default 100 (RFC 5321's minimum a server must accept).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Command line limit without CRLF. Default 510 (RFC 5321: 512 octets with CRLF).</summary>
    public int MaxCommandLineOctets { get; set; } = 510;

    /// <summary>Text (data) line limit without CRLF. Default 998 (RFC 5321: 1000 octets with CRLF).</summary>
    public int MaxTextLineOctets { get; set; } = 998;

    /// <summary>Protocol errors in one session before the MTA hangs up with 421. Default 10.</summary>
    public int MaxErrors { get; set; } = 10;
}
