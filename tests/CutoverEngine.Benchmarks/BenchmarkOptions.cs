namespace CutoverEngine.Benchmarks;

/// <summary>
/// What one benchmark run does; every default is the one stated here. <see cref="BenchmarkCommandLine"/> binds it from
/// the command line and shows these defaults in <c>--help</c>.
/// </summary>
public sealed class BenchmarkOptions
{
    /// <summary>Environments in the generated topology. Default 100.</summary>
    public int Environments { get; set; } = 100;

    /// <summary>Seconds a Route 53 change stays PENDING in the sandbox. Default 2.</summary>
    public double InsyncDelaySeconds { get; set; } = 2;

    /// <summary>Share of AWS requests that meet an injected fault (0..1). Default 0.</summary>
    public double FaultRate { get; set; }

    /// <summary>Seed of the fault dice. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>AWS accounts the generated customers are spread over (quotas are per account). Default 2.</summary>
    public int Accounts { get; set; } = 2;

    /// <summary>Share of the generated customers that move by BYOIP, 0..1 (0 = an Elastic-IP-only topology). Default
    /// 1/3.</summary>
    public double ByoipShare { get; set; } = 1.0 / 3;

    /// <summary>Run only the engine (the baselines at N=1000 would take hours). Default false.</summary>
    public bool SkipBaselines { get; set; }

    /// <summary>Print the result as JSON instead of a table. Default false.</summary>
    public bool Json { get; set; }

    /// <summary>
    /// Run the sandbox's mail generators. Default false: at N=1000 they deliver thousands of messages a second on the
    /// same two cores, which measures the sandbox rather than the contestants. The downtime is measured either way.
    /// </summary>
    public bool Mail { get; set; }

    /// <summary>Also write the JSON result to this file (the table still goes to standard output). Default:
    /// none.</summary>
    public string? JsonFile { get; set; }

    /// <summary>
    /// When set, the engine runs a copy of workflows/cutover.v1.json whose polling steps (repoint-ips,
    /// await-dns-insync,
    /// verify) poll at this interval instead of the shipped 1-2 s. Default: the shipped definition unchanged.
    /// </summary>
    public double? DefinitionPollSeconds { get; set; }

    /// <summary>Engine:Synchronous for the engine contestant (full or normal). Default: the engine's default
    /// (full).</summary>
    public string? Synchronous { get; set; }

    /// <summary>Engine:MaxConcurrentWorkflows for the engine contestant. Default: N (every cutover of the wave at
    /// once).</summary>
    public int? MaxConcurrentWorkflows { get; set; }

    /// <summary>Gives up on a contestant after this long (its cutovers are cancelled). Default 30 min.</summary>
    public TimeSpan ContestantTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
