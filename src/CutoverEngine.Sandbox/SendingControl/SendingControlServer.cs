using System.Net;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox.SendingControl;

/// <summary>Per-environment sending control (pause with lease, resume, status) and mail generators (TODO: being implemented).</summary>
public sealed class SendingControlServer(SandboxWorld world, IPEndPoint dns, int smtpPort, bool generateMail) : IAsyncDisposable
{
    readonly SandboxWorld _world = world;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public Task StartAsync(IPAddress address, int port, CancellationToken ct)
    {
        _ = (_world, dns, smtpPort, generateMail);
        Endpoint = new Uri($"http://{address}:{port}/");
        return Task.CompletedTask;
    }

    /// <summary>The URL of one environment's sending control.</summary>
    public Uri EnvironmentUrl(string environmentId) => new(Endpoint, $"environments/{environmentId}");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
