namespace CutoverEngine.Engine.Customers;

/// <summary>
/// How customer links are signed (section <c>Customers</c>): <c>Customers:LinkKey</c>, a base64 key of at least 32
/// bytes (<c>openssl rand -base64 32</c>), usually from the environment (<c>CUTOVER_Customers__LinkKey</c> for the
/// CLI); the address the links point at; how long a link lives.
/// </summary>
public sealed class CustomerLinkOptions
{
    public const string SectionName = "Customers";

    /// <summary>Shortest key accepted, in bytes: HMAC-SHA256's own block of strength.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>Base64 HMAC key; no default: without it no link is issued and the feeds answer 503.</summary>
    public string? LinkKey { get; set; }

    /// <summary>Where `cutover serve` is reached by customers, e.g. https://cutover.example.net. Default
    /// http://127.0.0.1:5080 (serve's default).</summary>
    public string BaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How long a link stays valid. Default 90 days; at most 400.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The key's bytes, or why there is none usable (the message names the setting).</summary>
    public byte[] Key()
    {
        if (string.IsNullOrWhiteSpace(LinkKey))
            throw new CustomerLinkException(
                "Customers:LinkKey is not set: customer links need a signing key (e.g. CUTOVER_Customers__LinkKey=$(openssl rand -base64 32))."
            );
        byte[] key;
        try
        {
            key = Convert.FromBase64String(LinkKey.Trim());
        }
        catch (FormatException)
        {
            throw new CustomerLinkException(
                "Customers:LinkKey is not base64 (e.g. the output of openssl rand -base64 32)."
            );
        }
        if (key.Length < MinKeyBytes)
            throw new CustomerLinkException(
                $"Customers:LinkKey is {key.Length} bytes; at least {MinKeyBytes} are needed (openssl rand -base64 32)."
            );
        return key;
    }

    /// <summary>The base address as a URI, or an error naming the setting.</summary>
    public Uri BaseUri() =>
        Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CustomerLinkException($"Customers:BaseUrl: '{BaseUrl}' is not an http(s) URL.");
}

/// <summary>Customer links are not configured, or a request for one is not valid; the message says which.</summary>
public sealed class CustomerLinkException(string message) : InvalidOperationException(message);
