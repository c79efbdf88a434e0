using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CutoverEngine.Benchmarks;

/// <summary>
/// The benchmark's command line through System.CommandLine, as the `cutover` commands do: option names, ranges and
/// messages for bad values as they were when it was parsed by hand; `--help` lists them with their defaults.
/// </summary>
public static class BenchmarkCommandLine
{
    /// <summary>Exit code for a command line that names a bad value or an unknown option (nothing was run).</summary>
    public const int ExitBadArguments = 2;

    /// <summary>The options to run with; or null and the exit code when nothing runs (help, bad arguments).</summary>
    public static (BenchmarkOptions? Options, int ExitCode) Parse(IReadOnlyList<string> args)
    {
        var (root, bind) = Create();
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
                Console.Error.WriteLine(error.Message);
            Console.Error.WriteLine("The options and their defaults: --help");
            return (null, ExitBadArguments);
        }
        // --help and --version carry their own action; a plain run has none.
        if (result.Action is not null)
            return (null, result.Invoke());
        return (bind(result), 0);
    }

    static (RootCommand Root, Func<ParseResult, BenchmarkOptions> Bind) Create()
    {
        var defaults = new BenchmarkOptions();
        var environments = Whole(
            "--environments",
            "N",
            1,
            2560,
            defaults.Environments,
            "Environments in the generated topology"
        );
        var insyncDelay = Number(
            "--insync-delay",
            "S",
            0,
            600,
            defaults.InsyncDelaySeconds,
            "Seconds a Route 53 change stays PENDING"
        );
        var faultRate = Number(
            "--fault-rate",
            "R",
            0,
            1,
            defaults.FaultRate,
            "Share of AWS requests meeting an injected fault, 0..1"
        );
        var seed = Whole("--seed", "S", int.MinValue, int.MaxValue, defaults.Seed, "Seed of the fault dice");
        var accounts = Whole(
            "--accounts",
            "A",
            1,
            99,
            defaults.Accounts,
            "AWS accounts the customers are spread over, 1..99"
        );
        var byoipShare = Number(
            "--byoip-share",
            "F",
            0,
            1,
            defaults.ByoipShare,
            "Share of customers moving by BYOIP, 0..1 (1/3: every third customer)"
        );
        var skipBaselines = new Option<bool>("--skip-baselines") { Description = "Run only the engine" };
        var definitionPoll = Optional<double?>(
            "--definition-poll",
            "S",
            0.05,
            60,
            v => v,
            "Engine: poll interval of the polling steps in a copied definition (default: the shipped definition)"
        );
        var maxConcurrent = Optional<int?>(
            "--max-concurrent-workflows",
            "N",
            1,
            100_000,
            v => (int)v,
            "Engine: Engine:MaxConcurrentWorkflows (default: N environments)"
        );
        var synchronous = OneOf(
            "--synchronous",
            ["full", "normal"],
            "neither full nor normal",
            "Engine: Engine:Synchronous, SQLite commit durability (default: the engine's, full)"
        );
        var mail = new Option<bool>("--mail") { Description = "Run the sandbox's mail generators (default off)" };
        var timeout = Number(
            "--timeout",
            "MIN",
            0.1,
            24 * 60,
            defaults.ContestantTimeout.TotalMinutes,
            "Give up on a contestant after this many minutes"
        );
        var output = OneOf("--output", ["text", "json"], "neither text nor json", "text or json (default text)");
        var jsonOut = new Option<string?>("--json-out")
        {
            HelpName = "FILE",
            Description = "Also write the JSON result to this file (default: none)",
        };

        var root = new RootCommand(
            "The engine against a hand-written runbook and a naive parallel script, each on a fresh sandbox"
        )
        {
            environments,
            insyncDelay,
            faultRate,
            seed,
            accounts,
            byoipShare,
            skipBaselines,
            definitionPoll,
            maxConcurrent,
            synchronous,
            mail,
            timeout,
            output,
            jsonOut,
        };
        BenchmarkOptions Bind(ParseResult p) =>
            new()
            {
                Environments = p.GetValue(environments),
                InsyncDelaySeconds = p.GetValue(insyncDelay),
                FaultRate = p.GetValue(faultRate),
                Seed = p.GetValue(seed),
                Accounts = p.GetValue(accounts),
                ByoipShare = p.GetValue(byoipShare),
                SkipBaselines = p.GetValue(skipBaselines),
                DefinitionPollSeconds = p.GetValue(definitionPoll),
                MaxConcurrentWorkflows = p.GetValue(maxConcurrent),
                Synchronous = p.GetValue(synchronous),
                Mail = p.GetValue(mail),
                ContestantTimeout = TimeSpan.FromMinutes(p.GetValue(timeout)),
                Json = p.GetValue(output) == "json",
                JsonFile = p.GetValue(jsonOut),
            };
        return (root, Bind);
    }

    static Option<double> Number(
        string name,
        string helpName,
        double min,
        double max,
        double defaultValue,
        string description
    ) =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => InRange(r, name, min, max),
        };

    static Option<int> Whole(string name, string helpName, int min, int max, int defaultValue, string description) =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => (int)InRange(r, name, min, max),
        };

    static Option<T> Optional<T>(
        string name,
        string helpName,
        double min,
        double max,
        Func<double, T> convert,
        string description
    ) =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            CustomParser = r => convert(InRange(r, name, min, max)),
        };

    /// <summary>A number in min..max; the message is the hand-written parser's, so scripts see no change.</summary>
    static double InRange(ArgumentResult result, string name, double min, double max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value >= min
            && value <= max
        )
            return value;
        result.AddError(
            $"{name}: '{text}' is not a number in "
                + $"{min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}"
        );
        return min;
    }

    static Option<string?> OneOf(string name, string[] allowed, string refusal, string description)
    {
        var option = new Option<string?>(name) { HelpName = string.Join('|', allowed), Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && !allowed.Contains(value, StringComparer.Ordinal))
                r.AddError($"{name}: '{value}' is {refusal}");
        });
        return option;
    }
}
