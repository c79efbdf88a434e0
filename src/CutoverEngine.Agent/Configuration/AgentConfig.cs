namespace CutoverEngine.Agent.Configuration;

/// <summary>
/// The agent's configuration file, as read by <see cref="AgentConfigReader"/>. Defaults are stated on each member;
/// README's "Installing the agent" table lists every key.
/// </summary>
public sealed record AgentConfig
{
    /// <summary>The file it was read from, for messages.</summary>
    public string Path { get; init; } = "";
    public required ListenConfig Listen { get; init; }

    /// <summary>Where the lease state file (agent-state.json) lives. Required.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>The agent's own log (JSON lines); null: standard error only. Default null.</summary>
    public string? LogFile { get; init; }

    /// <summary>Shortest lease a caller may ask for. Default 30 s.</summary>
    public TimeSpan MinLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest lease a caller may ask for. Default 2 h.</summary>
    public TimeSpan MaxLease { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Largest request body accepted. Default 4096 bytes.</summary>
    public long MaxBodyBytes { get; init; } = 4096;

    /// <summary>Wait before retrying a lease-expiry resume the MTA refused. Default 5 s.</summary>
    public TimeSpan ExpiryRetry { get; init; } = TimeSpan.FromSeconds(5);
    public required IReadOnlyList<TokenConfig> Tokens { get; init; }
    public required IReadOnlyDictionary<string, EnvironmentConfig> Environments { get; init; }
}

/// <summary>Where the agent listens. Plain HTTP only on a loopback address; HTTPS needs a certificate and
/// key.</summary>
public sealed record ListenConfig(Uri Url, string? CertificateFile, string? KeyFile);

/// <summary>A caller: a name for the log, the SHA-256 (hex) of its bearer token, the environments it may
/// control.</summary>
public sealed record TokenConfig(string Name, byte[] Sha256, IReadOnlyList<string> Environments)
{
    /// <summary>"*" allows every environment of this agent.</summary>
    public bool Allows(string environmentId) =>
        Environments.Contains("*", StringComparer.Ordinal)
        || Environments.Contains(environmentId, StringComparer.Ordinal);
}

/// <summary>One environment the agent controls: its driver and that driver's settings.</summary>
public sealed record EnvironmentConfig(string Id, string Driver, DriverSettings Settings);

/// <summary>Marker for a driver's settings block.</summary>
public abstract record DriverSettings
{
    /// <summary>Timeout of one command or HTTP call to the MTA. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Postfix: the instance's config directory (-c), the transports to defer, where the commands are.</summary>
public sealed record PostfixSettings : DriverSettings
{
    /// <summary>Default /etc/postfix.</summary>
    public string ConfigDirectory { get; init; } = "/etc/postfix";

    /// <summary>Default smtp, relay.</summary>
    public IReadOnlyList<string> Transports { get; init; } = ["smtp", "relay"];

    /// <summary>Directory of postconf, postfix and postqueue. Default /usr/sbin.</summary>
    public string CommandDirectory { get; init; } = "/usr/sbin";
}

/// <summary>KumoMTA: its HTTP admin listener and what a suspension covers (all optional: empty means
/// everything).</summary>
public sealed record KumoMtaSettings : DriverSettings
{
    /// <summary>Default http://127.0.0.1:8000/.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:8000/");
    public string? Domain { get; init; }
    public string? Campaign { get; init; }
    public string? Tenant { get; init; }
}

/// <summary>PowerMTA: the pmta command and the queue pattern paused.</summary>
public sealed record PowerMtaSettings : DriverSettings
{
    /// <summary>Default /usr/sbin/pmta.</summary>
    public string Command { get; init; } = "/usr/sbin/pmta";

    /// <summary>Default */* (every domain on every virtual MTA).</summary>
    public string Queue { get; init; } = "*/*";
}

/// <summary>Configured commands: argument arrays, run without a shell; status prints JSON on stdout.</summary>
public sealed record CommandsSettings(
    IReadOnlyList<string> Pause,
    IReadOnlyList<string> Resume,
    IReadOnlyList<string> Status
) : DriverSettings;
