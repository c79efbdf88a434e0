using System.Net;
using System.Text.Json;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>
/// <see cref="IRouteOrigins"/> through RIPEstat's prefix-overview API
/// (<c>GET data/prefix-overview/data.json?resource=CIDR</c>: <c>data.announced</c> and <c>data.asns[].asn</c>), the
/// public view of RIS's route collectors; the sandbox serves the same format.
/// </summary>
public sealed class RipeStatRouteOrigins(FinaliseOptions options) : IRouteOrigins, IDisposable
{
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task<RouteAnnouncement> AnnouncementOfAsync(IPNetwork range, CancellationToken ct)
    {
        var url = new Uri(
            options.RouteLookingGlass,
            $"data/prefix-overview/data.json?resource={Uri.EscapeDataString(range.ToString())}"
        );
        using var response = await http.GetAsync(url, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException(
                $"{url} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}",
                null,
                response.StatusCode
            );
        using var doc = JsonDocument.Parse(body);
        if (
            !doc.RootElement.TryGetProperty("data", out var data)
            || !data.TryGetProperty("announced", out var announced)
            || !data.TryGetProperty("asns", out var asns)
        )
            throw new FormatException($"{url} answered without data.announced and data.asns: not a prefix overview");
        return new RouteAnnouncement(
            announced.GetBoolean(),
            [.. asns.EnumerateArray().Select(a => a.GetProperty("asn").GetInt64())]
        );
    }

    public void Dispose() => http.Dispose();
}
