using System.Net;
using System.Text;
using CutoverEngine.Engine.Reports;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Cli.Serve.Pages;

/// <summary>Who is looking at a page, and the token its logout form needs.</summary>
public sealed record PageViewer(string Name, string Role, string AntiforgeryToken);

/// <summary>
/// The document around every auditor page: the report's style sheet, a bar with the links between the pages, who
/// is signed in and the logout button. No script anywhere; every value from data goes through <see cref="E"/>.
/// </summary>
public static class PageLayout
{
    const string PageCss = """
        header.bar{display:flex;align-items:center;gap:1.2rem;border-bottom:1px solid #d5dae1;padding-bottom:.5rem;margin-bottom:1rem}
        header.bar nav a{margin-right:1rem;font-weight:600}header.bar .who{margin-left:auto;color:#5b6473}
        header.bar form{margin:0}a{color:#1f5fbf}dl.facts{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
        dl.facts dt{color:#5b6473}dl.facts dd{margin:0}.error{color:#c62828;font-weight:600}
        .status{font-size:1.3rem;font-weight:700}.status.verified{color:#1a7f37}.status.broken,.status.unavailable{color:#c62828}
        form.login label{display:block;margin:.6rem 0 .2rem}form.login input[type=password]{width:28rem;max-width:100%;padding:.3rem}
        button{padding:.3rem .9rem}td.mono,.mono{font-family:ui-monospace,monospace;font-size:.85rem}
        """;

    public static string Page(string title, PageViewer? viewer, string body)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(title)).Append(" - CutoverEngine</title>\n")
            .Append("<style>").Append(WaveReportHtml.Css).Append(PageCss).Append("</style>\n</head>\n<body>\n");
        if (viewer is not null)
        {
            html.Append("<header class=\"bar\"><nav><a href=\"").Append(AuditorPages.WavesPath).Append("\">Waves</a><a href=\"")
                .Append(AuditorPages.AuditPath).Append("\">Journal chain</a></nav>")
                .Append("<span class=\"who\">Signed in as <b id=\"viewer\">").Append(E(viewer.Name)).Append("</b> (").Append(E(viewer.Role)).Append(")</span>")
                .Append("<form method=\"post\" action=\"").Append(PageSessions.LogoutPath).Append("\">")
                .Append(AntiforgeryField(viewer.AntiforgeryToken)).Append("<button type=\"submit\">Log out</button></form></header>\n");
        }
        html.Append("<main>\n").Append(body).Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    public static string AntiforgeryField(string token) =>
        $"<input type=\"hidden\" name=\"{PageSessions.AntiforgeryFieldName}\" value=\"{E(token)}\">";

    /// <summary>HTML-encodes text for element content and double-quoted attributes alike.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A site path with one id segment escaped, e.g. /environments/acme%20stg.</summary>
    public static string PathTo(string prefix, string id) => prefix + "/" + Uri.EscapeDataString(id);

    public static string Link(string href, string text) => $"<a href=\"{E(href)}\">{E(text)}</a>";
}

/// <summary>
/// An HTML page as a result, with the headers a read-only page that shows audit data should carry: never cached,
/// no framing, no script, no referrer, forms posting only to this site.
/// </summary>
public sealed class HtmlPage(string html, int statusCode = StatusCodes.Status200OK) : IResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public string Html => html;
    public int StatusCode => statusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
    }
}
