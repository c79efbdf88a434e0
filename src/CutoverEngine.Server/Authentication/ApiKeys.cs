using System.Security.Cryptography;
using System.Text;

namespace CutoverEngine.Server.Authentication;

/// <summary>One API key (section "Serve:ApiKeys", a list). Role operator may change waves; auditor reads
/// only.</summary>
public sealed class ApiKeyEntry
{
    public const string Sha256Prefix = "sha256:";

    /// <summary>Who the key belongs to; the journal records callers as api:NAME.</summary>
    public string Name { get; set; } = "";

    /// <summary>The key in plain text. Either this or <see cref="Hash"/>.</summary>
    public string Key { get; set; } = "";

    /// <summary>
    /// The key as <c>sha256:HEX</c> (the SHA-256 of its UTF-8 bytes, 64 hex digits), so the settings file need not
    /// hold the key itself. Either this or <see cref="Key"/>.
    /// </summary>
    public string Hash { get; set; } = "";

    /// <summary>operator or auditor.</summary>
    public string Role { get; set; } = "";

    /// <summary>The SHA-256 this entry's key has, whether it was configured plain or hashed.</summary>
    public byte[] KeyHash() =>
        Hash.Length > 0
            ? Convert.FromHexString(Hash[Sha256Prefix.Length..])
            : SHA256.HashData(Encoding.UTF8.GetBytes(Key));
}
