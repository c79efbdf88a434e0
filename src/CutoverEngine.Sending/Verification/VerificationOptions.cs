namespace CutoverEngine.Sending.Verification;

/// <summary>How verification reaches the world (section Sending:Verification). Every default is stated.</summary>
public sealed class VerificationOptions
{
    public const string SectionName = "Sending:Verification";

    /// <summary>
    /// Ask this server (host:port) instead of the zone's own name servers and the system resolver, e.g. the
    /// sandbox's DNS for a rehearsal. Default none: the zone's NS records name the servers to ask.
    /// </summary>
    public string? AuthoritativeServerOverride { get; set; }

    /// <summary>Port the MTAs answer SMTP on. Default 25.</summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>Timeout of one DNS query. Default 2 s.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries of one DNS query. Default 1.</summary>
    public int DnsRetries { get; set; } = 1;

    /// <summary>Timeout of one SMTP conversation step (connect, greeting, each reply). Default 5 s.</summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The name the probe greets MTAs with. Default cutover-probe.invalid.</summary>
    public string ProbeHeloName { get; set; } = "cutover-probe.invalid";

    /// <summary>RFC 7208's limit on DNS-querying SPF terms. Default 10.</summary>
    public int SpfLookupLimit { get; set; } = 10;
}
