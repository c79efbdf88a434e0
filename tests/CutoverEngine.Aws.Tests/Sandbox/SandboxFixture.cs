using CutoverEngine.Aws.Configuration;
using CutoverEngine.Aws.Tests.Support;
using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Topology;

namespace CutoverEngine.Aws.Tests.Sandbox;

/// <summary>A running sandbox and a rig of gateways pointed at it.</summary>
public sealed class SandboxRun : IAsyncDisposable
{
    private SandboxRun(SandboxHost host, AwsRig rig, SocketsHttpHandler handler)
    {
        Host = host;
        Rig = rig;
        _handler = handler;
    }

    private readonly SocketsHttpHandler _handler;
    public SandboxHost Host { get; }
    public AwsRig Rig { get; }
    public SandboxTopology Topology => Host.Topology;
    public string Account => Topology.Accounts[0].Id;

    public static async Task<SandboxRun> StartAsync(
        SandboxTopology? topology = null,
        SandboxRunOptions? run = null,
        Action<AwsOptions>? configure = null,
        bool realQuotas = true
    )
    {
        topology ??= SandboxWorlds.Topology();
        run ??= new SandboxRunOptions();
        run.GenerateMail = false;
        // Other test classes (and other test runs on this machine) start sandboxes too: let each MTA port be picked
        // free.
        run.SmtpPort = 0;
        var host = await SandboxHost.StartAsync(topology, run);
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        var rig = new AwsRig(handler, host.AwsEndpoint, configure, SandboxWorlds.AccountOptions(topology), realQuotas);
        return new SandboxRun(host, rig, handler);
    }

    public long Sandbox(
        string service,
        Func<CutoverEngine.Sandbox.Edge.OperationCounters, long> pick,
        string? account = null
    ) => Host.Metrics.Total(service, pick, account);

    public async ValueTask DisposeAsync()
    {
        Rig.Dispose();
        _handler.Dispose();
        await Host.DisposeAsync();
    }
}
