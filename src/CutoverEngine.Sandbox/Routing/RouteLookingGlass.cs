using System.Net;
using System.Text.Json;
using CutoverEngine.Sandbox.World;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CutoverEngine.Sandbox.Routing;

/// <summary>
/// The sandbox's view of global routing, answering as RIPEstat's prefix-overview does
/// (<c>GET /data/prefix-overview/data.json?resource=CIDR</c>: <c>data.announced</c> and the origin
/// <c>data.asns</c>), so the engine's finalise reads the same wire format against the sandbox and against
/// stat.ripe.net. <c>POST /sandbox/withdraw?resource=CIDR</c> stands in for the data centre's network team
/// withdrawing the range from its routers.
/// </summary>
public sealed class RouteLookingGlass(SandboxWorld world) : IAsyncDisposable
{
    WebApplication? _app;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public async Task StartAsync(IPAddress address, int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        _app = builder.Build();
        _app.MapGet("/data/prefix-overview/data.json", (string? resource) => Overview(resource));
        _app.MapPost(
            "/sandbox/withdraw",
            (string? resource) =>
                !IpRange.TryParse(resource ?? "", out var prefix)
                    ? Results.BadRequest($"'{resource}' is not an IPv4 CIDR")
                : world.WithdrawFromDataCentre(prefix) ? Results.NoContent()
                : Results.NotFound($"no BYOIP range covers {resource}")
        );
        await _app.StartAsync(ct);
        Endpoint = Edge.BoundEndpoint.Of(_app);
    }

    IResult Overview(string? resource)
    {
        // RIPEstat answers a malformed resource with status "error" and a message.
        if (!IpRange.TryParse(resource ?? "", out var prefix))
            return Results.Json(
                new { status = "error", messages = new[] { new[] { "error", $"'{resource}' is not a valid prefix" } } },
                statusCode: 400
            );
        var origins = world.OriginsOf(prefix) ?? [];
        return Results.Text(
            JsonSerializer.Serialize(
                new
                {
                    status = "ok",
                    data = new
                    {
                        resource,
                        announced = origins.Count > 0,
                        asns = origins.Select(o => new { asn = o.Asn, holder = o.Holder }),
                    },
                    query_time = world.Now.UtcDateTime.ToString("s"),
                }
            ),
            "application/json"
        );
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
