using System.Net;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Dns;

/// <summary>Authoritative DNS for the sandbox's zones on UDP and TCP (TODO: being implemented).</summary>
public sealed class DnsResponder(SandboxWorld world) : IAsyncDisposable
{
    readonly SandboxWorld _world = world;

    /// <summary>Binds UDP and TCP on the same port (0 picks one) and returns the bound endpoint.</summary>
    public Task<IPEndPoint> StartAsync(IPAddress address, int port, CancellationToken ct)
    {
        _ = _world;
        return Task.FromResult(new IPEndPoint(address, port));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
