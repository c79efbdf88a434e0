using System.CommandLine;
using System.Text.Json;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Hosting;
using CutoverEngine.Engine.Planning;
using CutoverEngine.Engine.Preparation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Cli.Commands;

/// <summary>`cutover plan FILE [--environments a,b]`: a dry run that reads live state and changes nothing.</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("inventory") { Description = "Inventory YAML (docs/inventory-format.md)" };
        var environments = new Option<string?>("--environments")
        {
            Description = "Comma-separated environment ids (default: all)",
        };
        var output = new Option<string>("--output") { Description = "text or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings file (JSON) on top of ./appsettings.json",
        };
        var command = new Command(
            "plan",
            "Show what a cutover would change and warn about what would go wrong; changes nothing"
        )
        {
            file,
            environments,
            output,
            config,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var ids = parse.GetValue(environments);
                var selection = RunCommand.Select(parse.GetValue(file)!, ids, all: ids is null, out var error);
                if (selection is null)
                {
                    Console.Error.WriteLine(error);
                    return 2;
                }
                var configuration = CliHosting.Configuration(parse.GetValue(config));
                SettingsGate.Check(configuration, selection);
                var logger = CliHosting.Logger(configuration);
                var services = new ServiceCollection();
                services.AddLogging(CliHosting.Logging(logger));
                try
                {
                    services.AddCutoverEngine(configuration);
                }
                catch (Exception e) when (WaveExecution.IsStartupError(e))
                {
                    Console.Error.WriteLine(e.Message);
                    return 2;
                }
                await using var provider = services.BuildServiceProvider();
                var planner = provider.GetRequiredService<CutoverPlanner>();
                var plans = new List<CutoverPlan>();
                // A selection holds whole range groups (RunCommand.Select): each environment is planned with its
                // group.
                var moves = WaveSequence.Moves(selection, WaveOrder.Explicit);
                foreach (var environment in selection)
                    plans.Add(await planner.PlanAsync(environment, moves.First(m => m.Contains(environment)), ct));
                if (parse.GetValue(output) == "json")
                {
                    Console.WriteLine(JsonSerializer.Serialize(plans, WaveExecution.Json));
                    return plans.Any(p => p.Warnings.Any(w => w.Code == CutoverPlanner.IdentityMismatchCode)) ? 1 : 0;
                }
                foreach (
                    var group in plans.Select(p => p.RangeGroup).OfType<PlannedRangeGroup>().DistinctBy(g => g.Name)
                )
                    Console.WriteLine(
                        $"Range group {group.Name}: {group.Range}, announced by {group.AnnouncedBy ?? "(unknown)"}; "
                            + $"{string.Join(", ", group.Environments)} cut over together in one cutover"
                    );
                // The prepare state, read from the engine's database when there is one (plan itself writes nothing).
                var database = (
                    configuration.GetSection(EngineOptions.SectionName).Get<EngineOptions>() ?? new EngineOptions()
                ).DatabasePath;
                var prepared = File.Exists(database) ? new PrepareStore(database) : null;
                foreach (var plan in plans)
                {
                    Console.WriteLine(plan.Summary);
                    Console.WriteLine(
                        $"  {(prepared is null ? "prepare: not prepared" : WaveCommand.Describe(await prepared.ReadinessAsync(plan.EnvironmentId, ct)))}"
                    );
                    foreach (var c in plan.Changes)
                        Console.WriteLine($"  change   {c}");
                    foreach (var o in plan.Observations)
                        Console.WriteLine($"  live     {o}");
                    foreach (var w in plan.Warnings)
                        Console.WriteLine($"  WARNING  [{w.Code}] {w.Message}");
                    Console.WriteLine();
                }
                var warned = plans.Count(p => p.Warnings.Any(w => w.Code != "new-ips"));
                Console.WriteLine(
                    $"{plans.Count} environments planned, {warned} with warnings beyond new-IP warm-up. Nothing was changed."
                );
                // Credentials that act in another account make the whole plan untrustworthy: say so in the exit code.
                return plans.Any(p => p.Warnings.Any(w => w.Code == CutoverPlanner.IdentityMismatchCode)) ? 1 : 0;
            }
        );
        return command;
    }
}
