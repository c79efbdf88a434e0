namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// How the engine authenticates to an environment's sending-control agent: where its bearer token comes from (an
/// environment variable or a file, exactly one) and, optionally, a CA certificate (PEM) to trust for the agent's
/// HTTPS. The token itself is never in the inventory, the journal or a log.
/// </summary>
public sealed record SendingControlAuth(string? TokenEnv, string? TokenFile, string? CaCertificate);
