using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Server.Authentication;

/// <summary>One API key (section "Serve:ApiKeys", a list). Role operator may change waves; auditor reads only.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who the key belongs to; the journal records callers as api:NAME.</summary>
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";

    /// <summary>operator or auditor.</summary>
    public string Role { get; set; } = "";
}

public static class ApiRoles
{
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    /// <summary>Checks the configured keys; serve refuses to start with none (no anonymous access) or with a bad entry.</summary>
    public static IReadOnlyList<ApiKeyEntry> Validate(IReadOnlyList<ApiKeyEntry> keys)
    {
        if (keys.Count == 0)
            throw new InvalidOperationException("Serve:ApiKeys is empty: configure at least one key (Name, Key, Role operator|auditor); the API has no anonymous access.");
        for (var i = 0; i < keys.Count; i++)
        {
            var k = keys[i];
            if (string.IsNullOrWhiteSpace(k.Name)) throw new InvalidOperationException($"Serve:ApiKeys:{i}: Name is empty.");
            if (k.Key.Length < 16) throw new InvalidOperationException($"Serve:ApiKeys:{i} ({k.Name}): Key must be at least 16 characters.");
            if (k.Role is not (Operator or Auditor)) throw new InvalidOperationException($"Serve:ApiKeys:{i} ({k.Name}): Role '{k.Role}' is neither operator nor auditor.");
        }
        if (keys.GroupBy(k => k.Key).Any(g => g.Count() > 1)) throw new InvalidOperationException("Serve:ApiKeys: two entries share a key.");
        return keys;
    }
}

/// <summary>
/// The configured keys, looked up in constant time. Used by the X-Api-Key scheme for each API request and by the
/// auditor pages' login form, so both accept exactly the same keys.
/// </summary>
public sealed class ApiKeyDirectory(IReadOnlyList<ApiKeyEntry> keys)
{
    public IReadOnlyList<ApiKeyEntry> Keys => keys;

    /// <summary>The entry whose key is <paramref name="presented"/>, or null.</summary>
    public ApiKeyEntry? Find(string presented)
    {
        var bytes = Encoding.UTF8.GetBytes(presented);
        ApiKeyEntry? match = null;
        foreach (var k in keys) // no early exit: the time taken does not say which key nearly matched
            if (CryptographicOperations.FixedTimeEquals(bytes, Encoding.UTF8.GetBytes(k.Key))) match = k;
        return match;
    }

    /// <summary>
    /// A one-way fingerprint of a key, kept in a page session instead of the key itself, so that a session ends when
    /// its key is removed from the configuration or given another role.
    /// </summary>
    public static string Fingerprint(ApiKeyEntry entry) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{entry.Role}\n{entry.Name}\n{entry.Key}")));

    /// <summary>Whether a session's fingerprint still names a configured key.</summary>
    public bool IsCurrent(string? fingerprint)
    {
        if (string.IsNullOrEmpty(fingerprint)) return false;
        var presented = Encoding.ASCII.GetBytes(fingerprint);
        var found = false;
        foreach (var k in keys)
            found |= CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(Fingerprint(k)));
        return found;
    }

    /// <summary>The identity a key stands for: its name and role (claims Name and Role), under <paramref name="scheme"/>.</summary>
    public static ClaimsIdentity Identity(ApiKeyEntry entry, string scheme, params Claim[] extra) =>
        new([new Claim(ClaimTypes.Name, entry.Name), new Claim(ClaimTypes.Role, entry.Role), .. extra], scheme);
}

/// <summary>Authenticates the X-Api-Key header (or Authorization: Bearer KEY) against the configured keys, in constant time.</summary>
public sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyDirectory keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers[Header];
        if (string.IsNullOrEmpty(presented) && Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal))
            presented = auth["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Find(presented) is not { } match) return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        var principal = new ClaimsPrincipal(ApiKeyDirectory.Identity(match, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
