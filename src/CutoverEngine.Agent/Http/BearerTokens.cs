using System.Security.Cryptography;
using System.Text;
using CutoverEngine.Agent.Configuration;

namespace CutoverEngine.Agent.Http;

/// <summary>
/// Checks a caller's bearer token against the configured SHA-256 hashes. The agent never stores or logs a token:
/// the configuration holds hashes and the log names the token's configured name.
/// </summary>
public sealed class BearerTokens(IReadOnlyList<TokenConfig> tokens)
{
    /// <returns>The matching token's configuration, or null for none or a wrong one.</returns>
    public TokenConfig? Find(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var hash = Hash(authorization[scheme.Length..].Trim());
        TokenConfig? found = null;
        // Compare with every hash in constant time so the answer's timing says nothing about near misses.
        foreach (var t in tokens)
            if (CryptographicOperations.FixedTimeEquals(hash, t.Sha256))
                found = t;
        return found;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The hex form the configuration's <c>sha256</c> takes.</summary>
    public static string HashHex(string token) => Convert.ToHexStringLower(Hash(token));
}
