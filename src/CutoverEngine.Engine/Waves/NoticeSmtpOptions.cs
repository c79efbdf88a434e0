namespace CutoverEngine.Engine.Waves;

/// <summary>
/// Sending notices through an SMTP relay (section "Waves:Notice:Smtp"). No relay: notices go to files only.
/// </summary>
public sealed class NoticeSmtpOptions
{
    public const string SectionName = "Waves:Notice:Smtp";

    /// <summary>The relay as HOST:PORT (e.g. "smtp.example.net:587"). Default none: files only.</summary>
    public string? Relay { get; set; }

    /// <summary>Envelope and header sender. Default "cutover-notices@localhost".</summary>
    public string From { get; set; } = "cutover-notices@localhost";

    /// <summary>Name given in EHLO. Default "cutover-engine".</summary>
    public string HeloName { get; set; } = "cutover-engine";

    /// <summary>Connect and per-command timeout. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// User for SMTP AUTH; default none: no AUTH. Set it and <see cref="Password"/> from a secret store or the
    /// environment.
    /// </summary>
    public string? Username { get; set; }

    /// <summary>Password for SMTP AUTH. Default none. Never logged nor written anywhere by the engine.</summary>
    public string? Password { get; set; }
}
