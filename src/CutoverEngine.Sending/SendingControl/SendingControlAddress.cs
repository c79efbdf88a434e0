namespace CutoverEngine.Sending.SendingControl;

/// <summary>
/// An environment's sending-control address: the control URL (the sandbox's, or an agent's
/// <c>https://agent:8443/v1/environments/acme-prod</c>) and, for an agent, where its token comes from and which CA
/// to trust. A bare URL converts to an address without credentials.
/// </summary>
public sealed record SendingControlAddress(Uri Url, SendingControlCredentials? Credentials = null)
{
    public string? CaCertificate => Credentials?.CaCertificate;

    public static implicit operator SendingControlAddress(Uri url) => FromUri(url);

    public static SendingControlAddress FromUri(Uri url) => new(url);

    public override string ToString() => Url.ToString();

    /// <summary>The bearer token from its source, read now (so a rotated file is picked up); null when none is
    /// configured.</summary>
    public string? ReadToken()
    {
        if (Credentials?.TokenEnv is { } env)
            return Environment.GetEnvironmentVariable(env) is { Length: > 0 } t
                ? t.Trim()
                : throw new SendingControlException(Url, null, $"the token's environment variable {env} is not set");
        if (Credentials?.TokenFile is not { } file)
            return null;
        try
        {
            var token = File.ReadAllText(file).Trim();
            return token.Length > 0
                ? token
                : throw new SendingControlException(Url, null, $"the token file {file} is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SendingControlException(Url, null, $"cannot read the token file {file}: {e.Message}", e);
        }
    }
}
