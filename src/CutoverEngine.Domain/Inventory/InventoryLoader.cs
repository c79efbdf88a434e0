using CutoverEngine.Domain.Inventory.Parsing;

namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// Parses an inventory (format: docs/inventory-format.md) and reports every error in it with source name, line,
/// column and field path. An inventory is returned only when there is no error at all. The domain does no I/O:
/// callers read the file and pass its text.
/// </summary>
public static class InventoryLoader
{
    /// <param name="yamlText">The inventory's YAML.</param>
    /// <param name="sourceName">The name errors are reported under: the file's path as the operator gave it.</param>
    public static InventoryLoadResult Parse(string yamlText, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        var errors = new ErrorCollector(sourceName);
        if (!SourceTree.TryRead(yamlText, errors, out var root))
            return new InventoryLoadResult(null, errors.InFileOrder());

        if (root is null)
        {
            errors.Add(
                new SourcePosition(1, 1),
                "",
                "the inventory is empty (expected the fields version, accounts and environments)"
            );
            return new InventoryLoadResult(null, errors.InFileOrder());
        }

        var inventory = InventoryReader.Read(root, errors);
        return new InventoryLoadResult(inventory, errors.InFileOrder());
    }
}
