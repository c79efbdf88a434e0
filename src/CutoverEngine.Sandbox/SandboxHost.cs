using System.Net;
using CutoverEngine.Sandbox.Dns;
using CutoverEngine.Sandbox.Ec2;
using CutoverEngine.Sandbox.Edge;
using CutoverEngine.Sandbox.Faults;
using CutoverEngine.Sandbox.Route53;
using CutoverEngine.Sandbox.SendingControl;
using CutoverEngine.Sandbox.Smtp;
using CutoverEngine.Sandbox.Sts;
using CutoverEngine.Sandbox.Topology;
using CutoverEngine.Sandbox.World;

namespace CutoverEngine.Sandbox;

/// <summary>
/// A running sandbox: the AWS endpoint (Route 53, EC2 and STS), the authoritative DNS responder, the MTAs' SMTP
/// listeners and the sending controls, all on loopback and all over one <see cref="SandboxWorld"/>.
/// Usable in-process (tests, `cutover demo`) and from `cutover sandbox`.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    readonly List<IAsyncDisposable> _parts = [];

    SandboxHost(SandboxTopology topology, SandboxWorld world, FaultInjector faults)
    {
        Topology = topology;
        World = world;
        Faults = faults;
    }

    public SandboxTopology Topology { get; }
    public SandboxWorld World { get; }
    public SandboxMetrics Metrics { get; } = new();
    public FaultInjector Faults { get; }
    public Uri AwsEndpoint { get; private set; } = null!;
    public IPEndPoint DnsEndpoint { get; private set; } = null!;
    public int SmtpPort { get; private set; }

    /// <summary>What the MTAs accepted, per host and address, with duplicate Message-IDs.</summary>
    public MailLedger Mail { get; private set; } = new();
    public SendingControlServer SendingControl { get; private set; } = null!;
    public Uri SendingControlEndpoint => SendingControl.Endpoint;

    /// <summary>The looking glass answering who announces a BYOIP range (RIPEstat's prefix-overview).</summary>
    public Uri RouteLookingGlassEndpoint { get; private set; } = null!;

    public static async Task<SandboxHost> StartAsync(
        SandboxTopology topology,
        SandboxRunOptions? options = null,
        CancellationToken ct = default
    )
    {
        options ??= new SandboxRunOptions();
        var settings = topology.Settings;
        var world = new SandboxWorld(topology, options.Clock, options.CredentialTtl);
        var faults = new FaultInjector(
            options.FaultRate ?? settings.Faults.Rate,
            options.Seed ?? settings.Faults.Seed,
            settings.Faults.LatencyMs
        );
        var host = new SandboxHost(topology, world, faults);
        try
        {
            var quotas = new QuotaBook(world);
            var edge = new AwsEdgeServer(
                world,
                host.Metrics,
                faults,
                [new Route53Service(quotas), new StsService(), new Ec2Service(quotas)]
            );
            host._parts.Add(edge);
            await edge.StartAsync(options.BindAddress, options.AwsPort, ct);
            host.AwsEndpoint = edge.Endpoint;

            var dns = new DnsResponder(world, loggers: options.Loggers);
            host._parts.Add(dns);
            host.DnsEndpoint = await dns.StartAsync(options.BindAddress, options.DnsPort, ct);

            var mtas = new MtaListeners(world);
            host._parts.Add(mtas);
            host.Mail = mtas.Ledger;
            host.SmtpPort = await mtas.StartAsync(options.SmtpPort ?? settings.SmtpPort, ct);

            var sending = new SendingControlServer(world, host.DnsEndpoint, host.SmtpPort, options.GenerateMail);
            host._parts.Add(sending);
            await sending.StartAsync(options.BindAddress, options.SendingControlPort, ct);
            host.SendingControl = sending;

            var glass = new Routing.RouteLookingGlass(world);
            host._parts.Add(glass);
            await glass.StartAsync(options.BindAddress, options.RouteLookingGlassPort, ct);
            host.RouteLookingGlassEndpoint = glass.Endpoint;
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = _parts.Count - 1; i >= 0; i--)
            await _parts[i].DisposeAsync();
        _parts.Clear();
    }
}
