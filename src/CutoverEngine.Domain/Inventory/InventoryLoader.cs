using CutoverEngine.Domain.Inventory.Parsing;

namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// Reads an inventory file (format: docs/inventory-format.md) and reports every error in it with file, line,
/// column and field path. An inventory is returned only when there is no error at all.
/// </summary>
public static class InventoryLoader
{
    /// <summary>Reads and parses the file; errors name it by <paramref name="path"/> as given.</summary>
    /// <exception cref="FileNotFoundException">and the other I/O exceptions of <see cref="File.ReadAllText(string)"/>: the file cannot be read.</exception>
    public static InventoryLoadResult Load(string path) => Parse(File.ReadAllText(path), path);

    /// <param name="yamlText">The inventory's YAML.</param>
    /// <param name="fileName">The name errors are reported under.</param>
    public static InventoryLoadResult Parse(string yamlText, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        var errors = new ErrorCollector(fileName);
        SourceNode? root;
        try
        {
            root = SourceTree.Read(yamlText);
        }
        catch (SourceSyntaxException e)
        {
            errors.Add(e.Position, "", e.Message);
            return new InventoryLoadResult(null, errors.InFileOrder());
        }

        if (root is null)
        {
            errors.Add(new SourcePosition(1, 1), "", "the inventory is empty (expected the fields version, accounts and environments)");
            return new InventoryLoadResult(null, errors.InFileOrder());
        }

        var inventory = InventoryReader.Read(root, errors);
        return new InventoryLoadResult(inventory, errors.InFileOrder());
    }
}
