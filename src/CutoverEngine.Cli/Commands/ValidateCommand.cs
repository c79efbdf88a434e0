using System.CommandLine;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Cli.Commands;

/// <summary>
/// <c>cutover validate FILE</c>: checks an inventory file and prints every error in it; touches nothing.
/// Exit codes: 0 valid, 1 invalid (errors on stderr, one per line), 2 the file does not exist or cannot be read.
/// </summary>
public static class ValidateCommand
{
    public const int ExitValid = 0;
    public const int ExitInvalid = 1;
    public const int ExitUnreadable = 2;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file")
        {
            Description = "The inventory YAML file (format: docs/inventory-format.md).",
        };
        var command = new Command(
            "validate",
            "Check an inventory file and list every error in it, with line, column and field. Changes nothing."
        );
        command.Arguments.Add(file);
        command.SetAction(parseResult =>
            Run(
                parseResult.GetValue(file)!,
                parseResult.InvocationConfiguration.Output,
                parseResult.InvocationConfiguration.Error
            )
        );
        return command;
    }

    static int Run(FileInfo file, TextWriter output, TextWriter error)
    {
        // FileInfo.ToString() is the path as typed, which is also how errors name the file.
        var path = file.ToString();
        if (!file.Exists)
        {
            error.WriteLine($"{path}: no such file");
            return ExitUnreadable;
        }

        InventoryLoadResult result;
        try
        {
            result = InventoryLoader.Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{path}: cannot read the file: {e.Message}");
            return ExitUnreadable;
        }

        if (!result.IsValid)
        {
            foreach (var problem in result.Errors)
                error.WriteLine(problem);
            return ExitInvalid;
        }

        var inventory = result.Inventory;
        var accountsInUse = inventory.Environments.Select(environment => environment.Account.Id).Distinct().Count();
        output.WriteLine($"OK: {inventory.Environments.Count} environments in {accountsInUse} accounts");
        return ExitValid;
    }
}
