using CutoverEngine.Domain.Inventory;
using CutoverEngine.Sandbox;
using CutoverEngine.Sandbox.Edge;
using CutoverEngine.Sandbox.Topology;
using Microsoft.Extensions.Configuration;

namespace CutoverEngine.Benchmarks;

/// <summary>
/// One contestant's world: a fresh in-process sandbox on the generated topology (no designed failures) and the
/// inventory a migration team would write for it. Every contestant gets its own, built from the same options.
/// </summary>
public sealed class BenchmarkWorld : IAsyncDisposable
{
    public required SandboxHost Sandbox { get; init; }
    public required IReadOnlyList<CutoverEnvironment> Environments { get; init; }
    public TopologySettings Settings => Sandbox.Topology.Settings;

    public static TopologySettings SettingsFor(BenchmarkOptions o) =>
        new() { InsyncDelaySeconds = o.InsyncDelaySeconds };

    public static SandboxTopology TopologyFor(BenchmarkOptions o) =>
        TopologyGenerator.Generate(
            new TopologyGeneratorOptions
            {
                Environments = o.Environments,
                Accounts = o.Accounts,
                ByoipShare = o.ByoipShare,
                DesignedFailures = false,
                Settings = SettingsFor(o),
            }
        );

    public static async Task<BenchmarkWorld> StartAsync(BenchmarkOptions o, CancellationToken ct)
    {
        var topology = TopologyFor(o);
        var sandbox = await SandboxHost.StartAsync(
            topology,
            new SandboxRunOptions
            {
                SmtpPort = 0,
                FaultRate = o.FaultRate,
                Seed = o.Seed,
                GenerateMail = o.Mail,
            },
            ct
        );
        var loaded = InventoryLoader.Parse(
            TopologyGenerator.InventoryYaml(topology, sandbox.SendingControlEndpoint),
            "benchmark inventory (generated)"
        );
        if (!loaded.IsValid)
        {
            await sandbox.DisposeAsync();
            throw new InvalidOperationException(
                "the generated inventory is invalid:\n" + string.Join('\n', loaded.Errors)
            );
        }
        return new BenchmarkWorld { Sandbox = sandbox, Environments = loaded.Inventory!.Environments };
    }

    /// <summary>The engine's and the gateways' settings pointing at this sandbox, with <paramref name="extra"/> on
    /// top.</summary>
    public IConfiguration Configuration(IDictionary<string, string?>? extra = null)
    {
        var settings = CutoverEngine.Cli.Hosting.SandboxEngineSettings.For(Sandbox);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
            settings[k] = v;
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    /// <summary>
    /// Seconds of a cutover's downtime that the world itself imposes and no orchestrator can avoid: Elastic IPs wait
    /// for
    /// the Route 53 change to reach INSYNC (the sandbox answers INSYNC, and its DNS serves the new records, exactly
    /// <c>InsyncDelaySeconds</c> after accepting the change); BYOIP ranges keep their records and wait only for BGP to
    /// propagate the advertisement (<c>ByoipPropagationSeconds</c> after it was accepted). Nothing the engine chooses
    /// is
    /// subtracted: polling intervals, waits for its own rate-limit permits, PriorRequestNotComplete retries on a shared
    /// zone and the step-to-step overhead all stay in the added downtime. Quota waits are the wave's, not the
    /// environment's: one cutover alone never meets them, so they count as added too.
    /// </summary>
    public double ImposedWaitSeconds(CutoverEnvironment e) =>
        e.IpStrategy == IpStrategy.Byoip ? Settings.ByoipPropagationSeconds : Settings.InsyncDelaySeconds;

    /// <summary>What the AWS endpoint counted, summed over accounts.</summary>
    public AwsCounts Counts()
    {
        var snapshot = Sandbox.Metrics.Snapshot();
        long Sum(string service, Func<OperationCounters, long> pick) =>
            snapshot.Where(kv => kv.Key.Service == service).Sum(kv => pick(kv.Value));
        return new AwsCounts(
            Route53Calls: Sum("route53", c => c.Accepted + c.Throttled + c.Faulted + c.Refused),
            Route53Throttled: Sum("route53", c => c.Throttled),
            Ec2Calls: Sum("ec2", c => c.Accepted + c.Throttled + c.Faulted + c.Refused),
            Ec2Throttled: Sum("ec2", c => c.Throttled),
            Route53ByOperation: snapshot
                .Where(kv => kv.Key.Service == "route53")
                .GroupBy(kv => kv.Key.Operation)
                .ToDictionary(
                    g => g.Key,
                    g => g.Sum(kv => kv.Value.Accepted + kv.Value.Throttled + kv.Value.Faulted + kv.Value.Refused)
                ),
            Ec2ByOperation: snapshot
                .Where(kv => kv.Key.Service == "ec2")
                .GroupBy(kv => kv.Key.Operation)
                .ToDictionary(
                    g => g.Key,
                    g => g.Sum(kv => kv.Value.Accepted + kv.Value.Throttled + kv.Value.Faulted + kv.Value.Refused)
                )
        );
    }

    /// <summary>Accepted Route 53 change and confirmation calls (ChangeResourceRecordSets, GetChange), per
    /// account.</summary>
    public IReadOnlyDictionary<string, long> ChangeAndConfirmationCalls() =>
        Sandbox
            .Metrics.Snapshot()
            .Where(kv => kv.Key.Service == "route53" && kv.Key.Operation is "ChangeResourceRecordSets" or "GetChange")
            .GroupBy(kv => kv.Key.Account)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value.Accepted));

    public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
}

public sealed record AwsCounts(
    long Route53Calls,
    long Route53Throttled,
    long Ec2Calls,
    long Ec2Throttled,
    IReadOnlyDictionary<string, long> Route53ByOperation,
    IReadOnlyDictionary<string, long> Ec2ByOperation
);
