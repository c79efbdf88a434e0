using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Server.Authentication;

/// <summary>Authenticates the X-Api-Key header (or Authorization: Bearer KEY) against the configured keys, in constant
/// time.</summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory keys,
    FailedAttemptLimiter limiter
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    const string Surface = "api";
    const string RetryAfterItem = "cutover:retry-after";

    // A limited caller is told 429 and when to come back instead of the usual 401.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RetryAfterItem] is not TimeSpan wait)
            return base.HandleChallengeAsync(properties);
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = FailedAttemptLimiter.RetryAfterHeader(wait);
        return Task.CompletedTask;
    }

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
        var attempt = limiter.Attempt(keys, Context.Connection.RemoteIpAddress, presented, Surface);
        if (attempt.RetryAfter is { } wait)
        {
            Context.Items[RetryAfterItem] = wait;
            return Task.FromResult(AuthenticateResult.Fail("Too many failed API-key attempts."));
        }
        if (attempt.Key is not { } match)
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        var principal = new ClaimsPrincipal(ApiKeyDirectory.Identity(match, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
