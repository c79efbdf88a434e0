using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Server.Authentication;

/// <summary>Authenticates the X-Api-Key header (or Authorization: Bearer KEY) against the configured keys, in constant
/// time.</summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory keys
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers[Header];
        if (
            string.IsNullOrEmpty(presented)
            && Request.Headers.Authorization.ToString() is { } auth
            && auth.StartsWith("Bearer ", StringComparison.Ordinal)
        )
            presented = auth["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(presented))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Find(presented) is not { } match)
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        var principal = new ClaimsPrincipal(ApiKeyDirectory.Identity(match, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
