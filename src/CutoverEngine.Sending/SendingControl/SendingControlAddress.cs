namespace CutoverEngine.Sending.SendingControl;

/// <summary>
/// An environment's sending-control address as the engine carries it (in the cutover's persisted subject, so a
/// restarted engine still knows it): the agent URL, plus in its fragment where the bearer token comes from and
/// which CA to trust: <c>https://agent:8443/v1/environments/acme-prod#token-env=NAME&amp;ca=/etc/ca.pem</c>.
/// A fragment is never sent over HTTP, and it names sources only: the token itself is read at each call and kept
/// out of the subject, the journal and the logs.
/// </summary>
public sealed record SendingControlAddress(Uri Url, string? TokenEnv, string? TokenFile, string? CaCertificate)
{
    const string TokenEnvKey = "token-env",
        TokenFileKey = "token-file",
        CaKey = "ca";

    public bool HasCredentials => TokenEnv is not null || TokenFile is not null || CaCertificate is not null;

    /// <summary>The form carried in the subject: the URL with the sources in its fragment (the URL alone when
    /// none).</summary>
    public Uri ToUri()
    {
        if (!HasCredentials)
            return Url;
        var parts = new List<string>();
        if (TokenEnv is not null)
            parts.Add($"{TokenEnvKey}={Uri.EscapeDataString(TokenEnv)}");
        if (TokenFile is not null)
            parts.Add($"{TokenFileKey}={Uri.EscapeDataString(TokenFile)}");
        if (CaCertificate is not null)
            parts.Add($"{CaKey}={Uri.EscapeDataString(CaCertificate)}");
        return new UriBuilder(Url) { Fragment = string.Join('&', parts) }.Uri;
    }

    public static SendingControlAddress Parse(Uri control)
    {
        var url = new UriBuilder(control) { Fragment = "" }.Uri;
        string? env = null,
            file = null,
            ca = null;
        foreach (var part in control.Fragment.TrimStart('#').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = part.IndexOf('=');
            if (at <= 0)
                continue;
            var value = Uri.UnescapeDataString(part[(at + 1)..]);
            switch (part[..at])
            {
                case TokenEnvKey:
                    env = value;
                    break;
                case TokenFileKey:
                    file = value;
                    break;
                case CaKey:
                    ca = value;
                    break;
            }
        }
        return new SendingControlAddress(url, env, file, ca);
    }

    /// <summary>The bearer token from its source, read now (so a rotated file is picked up); null when none is
    /// configured.</summary>
    public string? ReadToken()
    {
        if (TokenEnv is not null)
            return Environment.GetEnvironmentVariable(TokenEnv) is { Length: > 0 } t
                ? t.Trim()
                : throw new SendingControlException(
                    Url,
                    null,
                    $"the token's environment variable {TokenEnv} is not set"
                );
        if (TokenFile is null)
            return null;
        try
        {
            var token = File.ReadAllText(TokenFile).Trim();
            return token.Length > 0
                ? token
                : throw new SendingControlException(Url, null, $"the token file {TokenFile} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SendingControlException(Url, null, $"cannot read the token file {TokenFile}: {e.Message}", e);
        }
    }
}
