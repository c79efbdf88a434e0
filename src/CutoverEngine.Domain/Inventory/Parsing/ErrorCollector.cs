namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>Collects every error of one file; reading goes on after an error so that one run shows them all.</summary>
internal sealed class ErrorCollector(string file)
{
    readonly List<InventoryError> errors = [];

    public int Count => errors.Count;

    public void Add(SourcePosition at, string field, string message) =>
        errors.Add(new InventoryError(file, at.Line, at.Column, field, message));

    public void Add(SourceNode at, string field, string message) => Add(at.Position, field, message);

    /// <summary>In file order; errors at the same spot keep the order they were found in.</summary>
    public IReadOnlyList<InventoryError> InFileOrder() =>
        errors.OrderBy(error => error.Line).ThenBy(error => error.Column).ToArray();
}
