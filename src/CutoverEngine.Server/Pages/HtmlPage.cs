using System.Text;
using Microsoft.AspNetCore.Http;

namespace CutoverEngine.Server.Pages;

/// <summary>Who is looking at a page, and the token its logout form needs.</summary>
public sealed record PageViewer(string Name, string Role, string AntiforgeryToken);

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
