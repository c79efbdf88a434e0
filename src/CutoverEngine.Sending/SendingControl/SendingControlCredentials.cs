namespace CutoverEngine.Sending.SendingControl;

/// <summary>
/// Where a sending-control agent's bearer token comes from (an environment variable or a file) and which CA
/// certificate to trust. Sources only: the token itself is read at each call and kept out of the cutover's subject,
/// the journal and the logs.
/// </summary>
public sealed record SendingControlCredentials(string? TokenEnv, string? TokenFile, string? CaCertificate);
