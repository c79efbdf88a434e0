using System.Globalization;

namespace CutoverEngine.Benchmarks;

/// <summary>The benchmark's command line. Every default is the one stated in <see cref="Usage"/>.</summary>
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

    /// <summary>Share of the generated customers that move by BYOIP, 0..1 (0 = an Elastic-IP-only topology). Default 1/3.</summary>
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

    /// <summary>Also write the JSON result to this file (the table still goes to standard output). Default: none.</summary>
    public string? JsonFile { get; set; }

    /// <summary>
    /// When set, the engine runs a copy of workflows/cutover.v1.json whose polling steps (repoint-ips, await-dns-insync,
    /// verify) poll at this interval instead of the shipped 1-2 s. Default: the shipped definition unchanged.
    /// </summary>
    public double? DefinitionPollSeconds { get; set; }

    /// <summary>Engine:Synchronous for the engine contestant (full or normal). Default: the engine's default (full).</summary>
    public string? Synchronous { get; set; }

    /// <summary>Engine:MaxConcurrentWorkflows for the engine contestant. Default: N (every cutover of the wave at once).</summary>
    public int? MaxConcurrentWorkflows { get; set; }

    /// <summary>Gives up on a contestant after this long (its cutovers are cancelled). Default 30 min.</summary>
    public TimeSpan ContestantTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public const string Usage = """
        Usage: dotnet run -c Release --project tests/CutoverEngine.Benchmarks -- [options]
          --environments N          environments in the generated topology (default 100)
          --insync-delay S          seconds a Route 53 change stays PENDING (default 2)
          --fault-rate R            share of AWS requests meeting an injected fault, 0..1 (default 0)
          --seed S                  seed of the fault dice (default 1)
          --accounts A              AWS accounts the customers are spread over, 1..99 (default 2)
          --byoip-share F           share of customers moving by BYOIP, 0..1 (default 0.333: every third customer)
          --skip-baselines          run only the engine
          --definition-poll S       engine: poll interval of the polling steps in a copied definition (default: shipped)
          --max-concurrent-workflows N   engine: Engine:MaxConcurrentWorkflows (default: N environments)
          --synchronous full|normal engine: Engine:Synchronous, SQLite commit durability (default: the engine's, full)
          --mail                    run the sandbox's mail generators (default off)
          --timeout MIN             give up on a contestant after MIN minutes (default 30)
          --output text|json        (default text)
          --json-out FILE           also write the JSON result to FILE (default: none)
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the offending option.</summary>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchmarkOptions();
        for (int i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name}: a value is missing");
            double Number(double min, double max)
            {
                var text = Value();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
                    throw new ArgumentException($"{name}: '{text}' is not a number in {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
                return v;
            }
            switch (name)
            {
                case "--environments": o.Environments = (int)Number(1, 2560); break;
                case "--insync-delay": o.InsyncDelaySeconds = Number(0, 600); break;
                case "--fault-rate": o.FaultRate = Number(0, 1); break;
                case "--seed": o.Seed = (int)Number(int.MinValue, int.MaxValue); break;
                case "--accounts": o.Accounts = (int)Number(1, 99); break;
                case "--byoip-share": o.ByoipShare = Number(0, 1); break;
                case "--skip-baselines": o.SkipBaselines = true; break;
                case "--mail": o.Mail = true; break;
                case "--definition-poll": o.DefinitionPollSeconds = Number(0.05, 60); break;
                case "--max-concurrent-workflows": o.MaxConcurrentWorkflows = (int)Number(1, 100_000); break;
                case "--synchronous":
                    var mode = Value();
                    o.Synchronous = mode is "full" or "normal" ? mode : throw new ArgumentException($"--synchronous: '{mode}' is neither full nor normal");
                    break;
                case "--timeout": o.ContestantTimeout = TimeSpan.FromMinutes(Number(0.1, 24 * 60)); break;
                case "--json-out": o.JsonFile = Value(); break;
                case "--output":
                    var format = Value();
                    o.Json = format switch
                    {
                        "json" => true,
                        "text" => false,
                        _ => throw new ArgumentException($"--output: '{format}' is neither text nor json"),
                    };
                    break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }
        return o;
    }
}
