using CutoverEngine.Benchmarks;

// The benchmark of issue 7: the engine against a hand-written runbook (sequential) and a naive parallel script,
// each on a fresh in-process sandbox with the same settings. Targets are reported, not asserted.
var (parsed, exitCode) = BenchmarkCommandLine.Parse(args);
if (parsed is not { } options)
    return exitCode;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
void Say(string line)
{
    if (!options.Json)
        Console.WriteLine(line);
    else
        Console.Error.WriteLine(line);
}

Say(
    $"Benchmark: {options.Environments} environments over {options.Accounts} accounts, BYOIP share {options.ByoipShare:0.###}, INSYNC delay {options.InsyncDelaySeconds} s, fault rate {options.FaultRate}, seed {options.Seed}"
        + (options.SkipBaselines ? ", baselines skipped" : "")
);

// The engine runs first so that the process's peak working set is the engine's (plus its sandbox), not a baseline's.
var results = new List<ContestantResult>();
Say("Running the engine...");
results.Add(await Contestants.EngineAsync(options, cancel.Token));
Say($"  engine: {results[^1].WallSeconds:0.0} s");
if (!options.SkipBaselines)
{
    Say("Running baseline A (runbook, sequential)...");
    results.Add(await Contestants.RunbookSequentialAsync(options, cancel.Token));
    Say($"  baseline A: {results[^1].WallSeconds:0.0} s");
    Say("Running baseline B (naive parallel)...");
    results.Add(await Contestants.NaiveParallelAsync(options, cancel.Token));
    Say($"  baseline B: {results[^1].WallSeconds:0.0} s");
}

var report = BenchmarkReport.Build(options, results);
if (options.JsonFile is { } jsonFile)
    File.WriteAllText(jsonFile, report.ToJson());
if (options.Json)
    Console.WriteLine(report.ToJson());
else
    report.WriteText(Console.Out);
return 0;
