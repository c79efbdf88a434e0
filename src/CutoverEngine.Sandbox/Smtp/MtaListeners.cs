using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.Smtp;

/// <summary>The simulated MTAs: an SMTP listener on every MTA address; who answers follows EC2 state (TODO: being implemented).</summary>
public sealed class MtaListeners(SandboxWorld world) : IAsyncDisposable
{
    readonly SandboxWorld _world = world;

    /// <summary>Listens on every MTA address at <paramref name="port"/> (0 picks one free on all) and returns the port.</summary>
    public Task<int> StartAsync(int port, CancellationToken ct)
    {
        _ = _world;
        return Task.FromResult(port);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
