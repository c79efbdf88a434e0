using System.Text;
using static CutoverEngine.Cli.Serve.Pages.PageLayout;

namespace CutoverEngine.Cli.Serve.Pages;

/// <summary>GET /login: one field for an API key (operator or auditor), posted with an antiforgery token.</summary>
public static class LoginPage
{
    public static string Render(string antiforgeryToken, string? returnUrl, string? error)
    {
        var html = new StringBuilder("<h1>CutoverEngine auditor pages</h1>\n");
        html.Append("<p>Paste your API key (the same key as for <code>X-Api-Key</code>; operator and auditor keys may both read these pages).</p>\n");
        if (error is not null)
            html.Append("<p id=\"login-error\" class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>\n");
        html.Append("<form class=\"login\" method=\"post\" action=\"").Append(PageSessions.LoginPath).Append("\">")
            .Append(AntiforgeryField(antiforgeryToken));
        if (!string.IsNullOrEmpty(returnUrl))
            html.Append("<input type=\"hidden\" name=\"").Append(PageSessions.ReturnUrlParameter).Append("\" value=\"").Append(E(returnUrl)).Append("\">");
        html.Append("<label for=\"key\">API key</label><input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required autofocus>")
            .Append("<p><button type=\"submit\" id=\"login\">Log in</button></p></form>\n");
        return Page("Log in", null, html.ToString());
    }
}
