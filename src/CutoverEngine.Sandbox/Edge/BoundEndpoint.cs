using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Sandbox.Edge;

/// <summary>Where a started sandbox server listens, as a URL a client can call: Kestrel reports a wildcard bind
/// as [::] or 0.0.0.0, which the sandbox's clients reach on loopback.</summary>
public static class BoundEndpoint
{
    public static Uri Of(WebApplication app)
    {
        var bound = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new Uri(bound.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").TrimEnd('/') + "/");
    }
}
