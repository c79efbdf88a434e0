using System.CommandLine;
using System.Text.Json;
using CutoverEngine.Cli.Hosting;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Persistence;

namespace CutoverEngine.Cli.Commands;

/// <summary>`cutover run FILE (--environments a,b | --all) [--parallel N]`: cut over now, with live progress.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("inventory") { Description = "Inventory YAML (docs/inventory-format.md)" };
        var environments = new Option<string?>("--environments") { Description = "Comma-separated environment ids" };
        var all = new Option<bool>("--all") { Description = "Every environment of the inventory" };
        var parallel = new Option<int>("--parallel") { Description = "Cutovers at once (default: all of them)" };
        var wave = new Option<string?>("--wave") { Description = "Wave id to record (default: run-<UTC time>)" };
        var output = new Option<string>("--output") { Description = "text or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings file (JSON) on top of ./appsettings.json",
        };
        var command = new Command("run", "Run cutovers now; exits 1 when any environment rolled back or failed")
        {
            file,
            environments,
            all,
            parallel,
            wave,
            output,
            config,
        };
        command.SetAction(
            async (parse, ct) =>
            {
                var selection = Select(
                    parse.GetValue(file)!,
                    parse.GetValue(environments),
                    parse.GetValue(all),
                    out var inventoryError
                );
                if (selection is null)
                {
                    Console.Error.WriteLine(inventoryError);
                    return 2;
                }
                var n = parse.GetValue(parallel);
                if (n < 0)
                {
                    Console.Error.WriteLine($"--parallel: {n} is not a positive number");
                    return 2;
                }
                var json = parse.GetValue(output) == "json";
                var waveId = parse.GetValue(wave) ?? $"run-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}";
                var configuration = CliHosting.Configuration(parse.GetValue(config));
                SettingsGate.Check(configuration, selection);
                WaveExecution.Result result;
                try
                {
                    result = await WaveExecution.RunAsync(
                        configuration,
                        selection,
                        waveId,
                        Actor(),
                        n == 0 ? selection.Count : n,
                        !json,
                        ct
                    );
                }
                catch (EngineStoreHeldException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return EngineStoreHeldException.ExitCode;
                }
                catch (Exception e) when (WaveExecution.IsStartupError(e))
                {
                    Console.Error.WriteLine(e.Message + "\nNothing was started.");
                    return 2;
                }
                if (json)
                    Console.WriteLine(JsonSerializer.Serialize(WaveExecution.JsonSummary(result), WaveExecution.Json));
                else
                    WaveExecution.WriteTable(Console.Out, result, selection);
                return result.AllCompleted ? 0 : 1;
            }
        );
        return command;
    }

    /// <summary>The operator, as the journal records them.</summary>
    public static string Actor() => $"cli:{Environment.UserName}";

    /// <summary>Loads and validates the inventory and the selection; null with the error(s) when anything is
    /// wrong.</summary>
    public static IReadOnlyList<CutoverEnvironment>? Select(FileInfo file, string? ids, bool all, out string error)
    {
        error = "";
        if (all == (ids is not null))
        {
            error = "name the environments with --environments a,b or take them all with --all (one of the two)";
            return null;
        }
        Inventory inventory;
        try
        {
            inventory = InventoryFile.Load(file, "inventory");
        }
        catch (CliInputException e)
        {
            error = e.Message;
            return null;
        }
        if (all)
            return inventory.Environments;
        try
        {
            var selected = inventory.Select(
                ids!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            );
            RangeGroupRule.Require("the selection", selected.Select(e => e.Id), inventory);
            return selected;
        }
        catch (Exception e) when (e is UnknownEnvironmentException or ArgumentException)
        {
            error = "--environments: " + e.Message + " Nothing was started.";
            return null;
        }
        catch (PartialRangeGroupException e)
        {
            error = "--environments: " + e.Message;
            return null;
        }
    }
}
