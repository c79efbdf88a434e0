using System.Net;

namespace CutoverEngine.Engine.Finalisation;

/// <summary>Who announces an address range on the internet now: the announcing origin ASes.</summary>
/// <param name="Announced">Whether any route covers the range.</param>
public sealed record RouteAnnouncement(bool Announced, IReadOnlyList<long> OriginAsns);

/// <summary>The seam to the global routing table, as a route collector sees it.</summary>
public interface IRouteOrigins
{
    Task<RouteAnnouncement> AnnouncementOfAsync(IPNetwork range, CancellationToken ct);
}
