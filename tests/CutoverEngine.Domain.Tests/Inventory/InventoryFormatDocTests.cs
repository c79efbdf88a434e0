using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Tests.Inventory;

public class InventoryFormatDocTests
{
    [Fact]
    public void Example_in_the_format_documentation_is_a_valid_inventory()
    {
        var docPath = Path.Combine(RepositoryRoot(), "docs", "inventory-format.md");
        var lines = File.ReadAllLines(docPath);
        var start = Array.IndexOf(lines, "```yaml") + 1;
        var end = Array.IndexOf(lines, "```", start);
        Assert.True(start > 0 && end > start, "no ```yaml block in docs/inventory-format.md");

        var result = InventoryLoader.Parse(string.Join('\n', lines[start..end]), docPath);

        Assert.Empty(result.Errors);
    }

    static string RepositoryRoot()
    {
        for (
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            directory is not null;
            directory = directory.Parent
        )
        {
            if (File.Exists(Path.Combine(directory.FullName, "CutoverEngine.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"CutoverEngine.sln not found above {AppContext.BaseDirectory}");
    }
}
