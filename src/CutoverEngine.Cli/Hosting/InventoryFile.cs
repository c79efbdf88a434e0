using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Cli.Hosting;

/// <summary>Reads the inventory a command names; every problem becomes a <see cref="CliInputException"/> that
/// says which file and what is wrong (each parse error as file:line:column).</summary>
public static class InventoryFile
{
    /// <param name="file">The file given.</param>
    /// <param name="what">How the command line named it, for the message (`--inventory`, `inventory`).</param>
    public static Inventory Load(FileInfo file, string what)
    {
        if (!file.Exists)
            throw new CliInputException($"{what}: {file.FullName}: inventory file not found");
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"{what}: {file.FullName}: the inventory cannot be read: {e.Message}", e);
        }
        var loaded = InventoryLoader.Parse(text, file.FullName);
        if (loaded.Inventory is null || !loaded.IsValid)
            throw new CliInputException(
                $"The inventory has {loaded.Errors.Count} error(s); nothing was started:\n"
                    + string.Join('\n', loaded.Errors)
            );
        return loaded.Inventory;
    }
}
