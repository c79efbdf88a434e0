using System.Security.Claims;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Reports;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Server.Authentication;
using CutoverEngine.Server.Reports;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CutoverEngine.Server.Pages;

/// <summary>
/// The auditor pages of <c>cutover serve</c>: server-rendered HTML, read-only, behind a cookie session opened with
/// an API key (<see cref="PageSessions"/>), rendered from Razor components (this folder) with
/// <see cref="Rendering.ComponentHtml"/>. Data comes from the same places as the CLI: the wave store, the journal
/// through <see cref="JournalHistoryReader"/>, the report model and components, and <see cref="JournalVerifier"/>.
/// Login and logout are the only POSTs here, both checked against an antiforgery token; the operator's forms post to
/// <see cref="OperatorPages"/>.
/// </summary>
public static class AuditorPages
{
    public const string WavesPath = "/waves";
    public const string EnvironmentsPath = "/environments";
    public const string AuditPath = "/audit";

    /// <summary>A site path with one id segment escaped, e.g. /environments/acme%20stg.</summary>
    public static string PathTo(string prefix, string id) => prefix + "/" + Uri.EscapeDataString(id);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect(WavesPath)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(
                PageSessions.LoginPath,
                async (HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
                    new HtmlPage(
                        await LoginPage.RenderAsync(antiforgery.GetAndStoreTokens(http).RequestToken!, returnUrl, null)
                    )
            )
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapPost(PageSessions.LoginPath, LoginAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(PageSessions.LogoutPath, LogoutAsync)
            .RequireAuthorization(PageSessions.PolicyName)
            .ExcludeFromDescription();

        var pages = app.MapGroup("").RequireAuthorization(PageSessions.PolicyName).ExcludeFromDescription();
        pages.MapGet(WavesPath, WavesAsync);
        pages.MapGet(WavesPath + "/{id}", WaveAsync);
        pages.MapGet(
            WavesPath + "/{id}/report.html",
            (string id, ICutoverJournal journal, TimeProvider clock, CancellationToken ct) =>
                ReportAsync(id, journal, clock, html: true, ct)
        );
        pages.MapGet(
            WavesPath + "/{id}/report.json",
            (string id, ICutoverJournal journal, TimeProvider clock, CancellationToken ct) =>
                ReportAsync(id, journal, clock, html: false, ct)
        );
        pages.MapGet(EnvironmentsPath + "/{id}", EnvironmentAsync);
        pages.MapGet(AuditPath, ChainAsync);
    }

    public static PageViewer Viewer(HttpContext http, IAntiforgery antiforgery) =>
        new(
            http.User.Identity?.Name ?? "",
            http.User.FindFirstValue(ClaimTypes.Role) ?? "",
            antiforgery.GetAndStoreTokens(http).RequestToken!
        );

    static async Task<IResult> WavesAsync(
        HttpContext http,
        IAntiforgery antiforgery,
        WaveStore store,
        CancellationToken ct
    )
    {
        var rows = new List<WaveListRow>();
        foreach (var wave in await store.ListAsync(null, ct))
        {
            var cutovers = await store.CutoversAsync(wave.Id, ct);
            rows.Add(
                WaveListRow.Of(wave, cutovers.ToDictionary(c => c.Key, c => c.Value.Outcome, StringComparer.Ordinal))
            );
        }
        return new HtmlPage(await WaveListPage.RenderAsync(rows, Viewer(http, antiforgery)));
    }

    static async Task<IResult> WaveAsync(
        string id,
        HttpContext http,
        IAntiforgery antiforgery,
        WaveStore store,
        WaveService waves,
        Inventory inventory,
        ICutoverJournal journal,
        TimeProvider clock,
        CancellationToken ct
    )
    {
        var viewer = Viewer(http, antiforgery);
        if (await store.FindAsync(id, ct) is not { } wave)
            return await NotFoundAsync(viewer, $"No wave '{id}'. The wave list shows every wave this engine knows.");
        return await ReadingJournal(
            viewer,
            async () =>
            {
                var history = await new JournalHistoryReader(journal).ReadWaveAsync(id, ct);
                var now = clock.GetUtcNow();
                var report = history is null ? null : WaveReport.From(history, now);
                var (valid, required) = await waves.ApprovalStatusAsync(wave, ct);
                var approvals = new ApprovalStanding(
                    valid.Count,
                    required,
                    await waves.MissingApprovalsAsync(wave, ct)
                );
                var production = ProductionConfirmation.IsRequired(
                    inventory.Environments.Where(e => wave.Environments.Contains(e.Id, StringComparer.Ordinal))
                );
                return new HtmlPage(
                    await WavePage.RenderAsync(wave, report, history?.Events ?? [], viewer, production, approvals, now)
                );
            }
        );
    }

    /// <summary>The wave's report as <c>cutover report</c> writes it, for the auditor to keep.</summary>
    static async Task<IResult> ReportAsync(
        string id,
        ICutoverJournal journal,
        TimeProvider clock,
        bool html,
        CancellationToken ct
    )
    {
        var history = await new JournalHistoryReader(journal).ReadWaveAsync(id, ct);
        if (history is null)
            return Results.Problem(
                $"The journal has no entry for wave '{id}'.",
                statusCode: StatusCodes.Status404NotFound
            );
        var report = WaveReport.From(history, clock.GetUtcNow());
        return html
            ? new HtmlPage(await WaveReportHtml.RenderAsync(report))
            : Results.Text(WaveReportJson.Serialize(report), "application/json; charset=utf-8");
    }

    static async Task<IResult> EnvironmentAsync(
        string id,
        HttpContext http,
        IAntiforgery antiforgery,
        Inventory inventory,
        ICutoverJournal journal,
        CancellationToken ct
    )
    {
        var viewer = Viewer(http, antiforgery);
        return await ReadingJournal(
            viewer,
            async () =>
            {
                var entries = await new JournalHistoryReader(journal).ReadAllAsync(
                    new JournalQuery { Environment = id },
                    ct
                );
                var environment = inventory.FindEnvironment(id);
                if (environment is null && entries.Count == 0)
                    return await NotFoundAsync(
                        viewer,
                        $"No environment '{id}': neither the inventory nor the journal names it (ids are case-sensitive)."
                    );
                return new HtmlPage(await EnvironmentPage.RenderAsync(id, environment, entries, viewer));
            }
        );
    }

    static async Task<IResult> ChainAsync(
        HttpContext http,
        IAntiforgery antiforgery,
        IOptions<EngineOptions> engine,
        CancellationToken ct
    )
    {
        var viewer = Viewer(http, antiforgery);
        try
        {
            var result = await new JournalVerifier(engine.Value.DatabasePath).VerifyAsync(ct);
            return new HtmlPage(await ChainStatusPage.RenderAsync(result, viewer));
        }
        catch (JournalUnavailableException e)
        {
            return new HtmlPage(
                await ChainStatusPage.RenderUnavailableAsync(e.Message, viewer),
                StatusCodes.Status503ServiceUnavailable
            );
        }
        catch (SqliteException e)
        {
            return new HtmlPage(
                await ChainStatusPage.RenderUnavailableAsync($"SQLite cannot read the journal: {e.Message}", viewer),
                StatusCodes.Status503ServiceUnavailable
            );
        }
    }

    static async Task<IResult> LoginAsync(
        HttpContext http,
        IAntiforgery antiforgery,
        ApiKeyDirectory keys,
        FailedAttemptLimiter limiter,
        ILoggerFactory loggers
    )
    {
        var log = loggers.CreateLogger(typeof(AuditorPages).FullName!);
        if (!http.Request.HasFormContentType)
            return Results.Problem(
                "The login expects a form post (application/x-www-form-urlencoded).",
                statusCode: StatusCodes.Status415UnsupportedMediaType
            );
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string? returnUrl = form[PageSessions.ReturnUrlParameter];
        async Task<IResult> Refuse(string error, int status) =>
            new HtmlPage(
                await LoginPage.RenderAsync(antiforgery.GetAndStoreTokens(http).RequestToken!, returnUrl, error),
                status
            );

        if (!await antiforgery.IsRequestValidAsync(http))
            return await Refuse(
                "The login form had expired or did not come from this site. Nothing was changed; please log in again.",
                StatusCodes.Status400BadRequest
            );
        if (!PageSessions.CanKeepSecureCookie(http.Request))
            return await Refuse(
                "Page sessions need HTTPS: the session cookie is Secure, and a browser keeps it over plain HTTP only from localhost. Serve with --urls https://....",
                StatusCodes.Status400BadRequest
            );
        string? presented = form["key"];
        if (string.IsNullOrWhiteSpace(presented))
            return await Refuse("Paste an API key into the field.", StatusCodes.Status400BadRequest);
        var address = http.Connection.RemoteIpAddress;
        var attempt = limiter.Attempt(keys, address, presented.Trim(), "login");
        if (attempt.RetryAfter is { } wait)
        {
            log.LogWarning("Page login refused: too many failed attempts from {Address}", address);
            http.Response.Headers.RetryAfter = FailedAttemptLimiter.RetryAfterHeader(wait);
            return await Refuse(
                "Too many failed logins. Wait before trying again; no key was checked.",
                StatusCodes.Status429TooManyRequests
            );
        }
        if (attempt.Key is not { } key)
        {
            log.LogWarning("Page login refused: the key given is not a configured API key");
            return await Refuse(
                "That is not a valid API key. No session was opened.",
                StatusCodes.Status401Unauthorized
            );
        }
        await http.SignInAsync(
            PageSessions.SchemeName,
            PageSessions.Principal(key),
            new AuthenticationProperties { IsPersistent = false }
        );
        log.LogInformation("Page session opened for {KeyName} ({Role})", key.Name, key.Role);
        return Results.Redirect(PageSessions.SafeReturnPath(returnUrl));
    }

    static async Task<IResult> LogoutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.Problem(
                "The logout form had expired or did not come from this site; reload the page and log out again.",
                statusCode: StatusCodes.Status400BadRequest
            );
        await http.SignOutAsync(PageSessions.SchemeName);
        return Results.Redirect(PageSessions.LoginPath);
    }

    static async Task<IResult> NotFoundAsync(PageViewer viewer, string message) =>
        new HtmlPage(await NotFoundPage.RenderAsync(viewer, message), StatusCodes.Status404NotFound);

    /// <summary>A journal that cannot be read is shown as such, with the command that finds the damage.</summary>
    static async Task<IResult> ReadingJournal(PageViewer viewer, Func<Task<IResult>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e)
            when (e is SqliteException or FormatException or InvalidCastException or JournalUnavailableException)
        {
            return new HtmlPage(
                await JournalUnreadablePage.RenderAsync(viewer, e.Message),
                StatusCodes.Status500InternalServerError
            );
        }
    }
}
