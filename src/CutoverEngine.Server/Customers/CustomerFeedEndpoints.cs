using System.Text.Json;
using CutoverEngine.Engine.Customers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CutoverEngine.Server.Customers;

/// <summary>
/// <c>GET /customers/{id}/calendar.ics</c> and <c>/customers/{id}/status.json</c>: a customer's windows and measured
/// downtime, opened by a signed link (<see cref="CustomerLinks"/>) instead of an API key, so support can hand it out.
/// A link that is missing a field, tampered with, another customer's, expired or revoked is refused (403, the reason
/// named); without <c>Customers:LinkKey</c> the feeds answer 503.
/// </summary>
public static class CustomerFeedEndpoints
{
    public const string Prefix = "/customers";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Map(IEndpointRouteBuilder app)
    {
        var feeds = app.MapGroup(Prefix).AllowAnonymous().ExcludeFromDescription();
        feeds.MapGet(
            "/{id}/calendar.ics",
            (string id, HttpContext http, CustomerLinks links, CustomerFeed feed) =>
                ServeAsync(
                    id,
                    http,
                    links,
                    feed,
                    s => Results.Text(CustomerFeed.Calendar(s), "text/calendar; charset=utf-8")
                )
        );
        feeds.MapGet(
            "/{id}/status.json",
            (string id, HttpContext http, CustomerLinks links, CustomerFeed feed) =>
                ServeAsync(id, http, links, feed, s => Results.Json(s, Json))
        );
    }

    static async Task<IResult> ServeAsync(
        string id,
        HttpContext http,
        CustomerLinks links,
        CustomerFeed feed,
        Func<CustomerStatus, IResult> render
    )
    {
        var q = http.Request.Query;
        CustomerLinkCheck check;
        try
        {
            check = await links.CheckAsync(id, q["expires"], q["g"], q["sig"], http.RequestAborted);
        }
        catch (CustomerLinkException e)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        // The link is the credential: nothing of the customer, not even whether it exists, before it checks out.
        http.Response.Headers.CacheControl = "private, no-store";
        switch (check)
        {
            case CustomerLinkCheck.Invalid:
                return Results.Text(
                    "This link is not valid for this customer.",
                    statusCode: StatusCodes.Status403Forbidden
                );
            case CustomerLinkCheck.Expired:
                return Results.Text(
                    "This link has expired; ask for a new one.",
                    statusCode: StatusCodes.Status403Forbidden
                );
            case CustomerLinkCheck.Revoked:
                return Results.Text(
                    "This link was revoked; ask for a new one.",
                    statusCode: StatusCodes.Status403Forbidden
                );
        }
        var status = await feed.ReadAsync(id, http.RequestAborted);
        return status is null ? Results.NotFound() : render(status);
    }
}
