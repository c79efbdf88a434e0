using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;

namespace CutoverEngine.Server.Authentication;

/// <summary>
/// The configured keys, looked up in constant time. Used by the X-Api-Key scheme for each API request and by the
/// auditor pages' login form, so both accept exactly the same keys.
/// </summary>
public sealed class ApiKeyDirectory(IReadOnlyList<ApiKeyEntry> keys)
{
    // Plain and hashed entries alike are compared as SHA-256 digests: one comparison of fixed length for both.
    readonly (ApiKeyEntry Entry, byte[] Hash)[] _hashes = [.. keys.Select(k => (k, k.KeyHash()))];

    public IReadOnlyList<ApiKeyEntry> Keys => keys;

    /// <summary>The entry whose key is <paramref name="presented"/>, or null.</summary>
    public ApiKeyEntry? Find(string presented)
    {
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKeyEntry? match = null;
        foreach (var (entry, hash) in _hashes) // no early exit: the time taken does not say which key nearly matched
            if (CryptographicOperations.FixedTimeEquals(presentedHash, hash))
                match = entry;
        return match;
    }

    /// <summary>
    /// A one-way fingerprint of a key, kept in a page session instead of the key itself, so that a session ends when
    /// its key is removed from the configuration or given another role.
    /// </summary>
    public static string Fingerprint(ApiKeyEntry entry) =>
        Convert.ToHexString(
            SHA256.HashData(Encoding.UTF8.GetBytes($"{entry.Role}\n{entry.Name}\n{entry.Key}{entry.Hash}"))
        );

    /// <summary>Whether a session's fingerprint still names a configured key.</summary>
    public bool IsCurrent(string? fingerprint)
    {
        if (string.IsNullOrEmpty(fingerprint))
            return false;
        var presented = Encoding.ASCII.GetBytes(fingerprint);
        var found = false;
        foreach (var k in keys)
            found |= CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(Fingerprint(k)));
        return found;
    }

    /// <summary>The identity a key stands for: its name and role (claims Name and Role), under <paramref
    /// name="scheme"/>.</summary>
    public static ClaimsIdentity Identity(ApiKeyEntry entry, string scheme, params Claim[] extra) =>
        new([new Claim(ClaimTypes.Name, entry.Name), new Claim(ClaimTypes.Role, entry.Role), .. extra], scheme);
}
