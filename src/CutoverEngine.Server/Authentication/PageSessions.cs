using System.Security.Claims;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Server.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Server.Authentication;

/// <summary>The auditor pages' settings (section "Serve:Pages"). Every default is the one stated.</summary>
public sealed class AuditorPagesOptions
{
    public const string SectionName = "Serve:Pages";

    /// <summary>How long a page session lasts after logging in, whatever the activity (not sliding). Default 8
    /// hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// Where the keys protecting session cookies are kept, so sessions survive a restart of serve. Default: the
    /// folder <c>page-keys</c> next to the engine database (Engine:DatabasePath), with the engine's other state.
    /// </summary>
    public string? KeysDirectory { get; set; }
}

/// <summary>
/// Sessions for the auditor pages: a person pastes an API key once into the login form and gets a cookie session
/// (ASP.NET Core cookie authentication, next to the API's X-Api-Key scheme, which the API keeps using alone).
/// The cookie is HTTP-only, Secure and SameSite=Strict; it carries the key's name, role and a fingerprint, never
/// the key, and it stops working as soon as its key is removed from Serve:ApiKeys or changes role.
/// Browsers accept Secure cookies over plain HTTP only from localhost and 127.0.0.1: anywhere else serve over HTTPS.
/// </summary>
public static class PageSessions
{
    public const string SchemeName = "PageSession";
    public const string CookieName = "cutover.session";
    public const string AntiforgeryCookieName = "cutover.antiforgery";
    public const string AntiforgeryFieldName = "__antiforgery";

    /// <summary>Reading policy of the pages: a page session of an operator or an auditor.</summary>
    public const string PolicyName = "pages";

    /// <summary>The claim holding <see cref="ApiKeyDirectory.Fingerprint"/> of the key the session was opened
    /// with.</summary>
    public const string KeyFingerprintClaim = "cutover:key-fingerprint";
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";
    public const string ReturnUrlParameter = "returnUrl";

    public static void AddPageSessions(
        this IServiceCollection services,
        AuthenticationBuilder authentication,
        IConfiguration configuration
    )
    {
        var options =
            configuration.GetSection(AuditorPagesOptions.SectionName).Get<AuditorPagesOptions>()
            ?? new AuditorPagesOptions();
        if (options.SessionLifetime <= TimeSpan.Zero)
            throw new InvalidOperationException(
                $"{AuditorPagesOptions.SectionName}:SessionLifetime must be positive (got {options.SessionLifetime})."
            );
        services.AddSingleton(options);
        var engine = configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions();
        var keysDirectory =
            options.KeysDirectory
            ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(engine.DatabasePath))!, "page-keys");
        services
            .AddDataProtection()
            .SetApplicationName("CutoverEngine")
            .PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
        authentication.AddCookie(
            SchemeName,
            o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.LoginPath = LoginPath;
                o.LogoutPath = LogoutPath;
                // Both roles read every page, so a signed-in user is never denied; an unknown role goes back to the
                // login.
                o.AccessDeniedPath = LoginPath;
                o.ReturnUrlParameter = ReturnUrlParameter;
                o.ExpireTimeSpan = options.SessionLifetime;
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = async context =>
                {
                    var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyDirectory>();
                    if (!keys.IsCurrent(context.Principal?.FindFirstValue(KeyFingerprintClaim)))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(SchemeName);
                    }
                };
            }
        );
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.HttpOnly = true;
            // Not Always: ASP.NET refuses to issue an Always-secure antiforgery token over plain HTTP, and serve
            // listens on plain HTTP on loopback by default. The token only pairs a form with its cookie; over HTTPS it
            // is Secure.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = AntiforgeryFieldName;
        });
    }

    public static AuthorizationBuilder AddPagePolicy(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(
            PolicyName,
            p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser().RequireRole(ApiRoles.Readers)
        );

    /// <summary>The principal of a page session opened with <paramref name="key"/>.</summary>
    public static ClaimsPrincipal Principal(ApiKeyEntry key) =>
        new(
            ApiKeyDirectory.Identity(key, SchemeName, new Claim(KeyFingerprintClaim, ApiKeyDirectory.Fingerprint(key)))
        );

    /// <summary>
    /// Whether a browser will keep the Secure session cookie of this request: over HTTPS, or over plain HTTP from a
    /// loopback host (browsers treat http://localhost and http://127.0.0.1 as secure contexts).
    /// </summary>
    public static bool CanKeepSecureCookie(HttpRequest request) =>
        request.IsHttps
        || request.Host.Host is "localhost"
        || (
            System.Net.IPAddress.TryParse(request.Host.Host.Trim('[', ']'), out var ip)
            && System.Net.IPAddress.IsLoopback(ip)
        );

    /// <summary>Where to go after logging in: the page asked for when it is a path on this site, else the wave
    /// list.</summary>
    public static string SafeReturnPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } r
        && r[0] == '/'
        && (r.Length == 1 || (r[1] != '/' && r[1] != '\\'))
        && !r.Contains('\r')
        && !r.Contains('\n')
            ? r
            : AuditorPages.WavesPath;
}
