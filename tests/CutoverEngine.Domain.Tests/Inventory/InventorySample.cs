using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Tests.Inventory;

/// <summary>
/// The valid sample inventory and edits of it. Each error test changes one spot of a known-good file, so the
/// error it expects is the only one, and its position is computed from where the edit landed.
/// </summary>
internal static class InventorySample
{
    public const string FileName = "sandbox.yaml";

    public static string ValidPath => Path.Combine(AppContext.BaseDirectory, "Inventory", "Samples", "valid.yaml");

    public static string ValidText => File.ReadAllText(ValidPath);

    /// <summary>The sample with <paramref name="original"/> (which must occur exactly once) replaced.</summary>
    public static string With(string original, string replacement) => With(ValidText, original, replacement);

    public static string With(string yaml, string original, string replacement)
    {
        var index = yaml.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{original}' is not in the sample");
        Assert.True(
            yaml.IndexOf(original, index + 1, StringComparison.Ordinal) < 0,
            $"'{original}' occurs more than once in the sample"
        );
        return yaml[..index] + replacement + yaml[(index + original.Length)..];
    }

    /// <summary>1-based line and column of the only occurrence of <paramref name="snippet"/>, or of its n-th (0-based)
    /// one.</summary>
    public static (int Line, int Column) PositionOf(string yaml, string snippet, int occurrence = 0)
    {
        var index = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            index = yaml.IndexOf(snippet, index + 1, StringComparison.Ordinal);
            Assert.True(index >= 0, $"'{snippet}' (occurrence {occurrence}) is not in the inventory text");
        }
        var before = yaml[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    /// <summary>Position of <paramref name="value"/> inside the n-th occurrence of <paramref name="context"/> (e.g. a
    /// whole line).</summary>
    public static (int Line, int Column) ValueAt(string yaml, string context, string value, int occurrence = 0)
    {
        var offset = context.IndexOf(value, StringComparison.Ordinal);
        Assert.True(offset >= 0, $"'{value}' is not part of '{context}'");
        var (line, column) = PositionOf(yaml, context, occurrence);
        return (line, column + offset);
    }

    public static InventoryLoadResult Parse(string yaml) => InventoryLoader.Parse(yaml, FileName);

    /// <summary>Parses and asserts that there is exactly one error and no inventory.</summary>
    public static InventoryError SingleError(string yaml)
    {
        var result = Parse(yaml);
        Assert.False(result.IsValid);
        Assert.Null(result.Inventory);
        return Assert.Single(result.Errors);
    }

    public static void AssertAt(
        InventoryError error,
        (int Line, int Column) expected,
        string field,
        params string[] messageParts
    )
    {
        Assert.Equal(FileName, error.File);
        Assert.Equal(expected, (error.Line, error.Column));
        Assert.Equal(field, error.Field);
        foreach (var part in messageParts)
            Assert.Contains(part, error.Message);
    }
}
