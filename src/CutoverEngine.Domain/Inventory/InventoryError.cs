namespace CutoverEngine.Domain.Inventory;

/// <summary>One problem in an inventory file, positioned like a compiler diagnostic.</summary>
/// <param name="File">The file name or path as given to the loader.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Field">The field's path, e.g. environments[2].mtaHosts[0].target.allocationId; empty for YAML syntax
/// errors.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record InventoryError(string File, int Line, int Column, string Field, string Message)
{
    /// <summary><c>sandbox.yaml:14:7: environments[2].mtaHosts[0].target.allocationId: 'eipalloc-xyz' is not
    /// ...</c></summary>
    public override string ToString() =>
        Field.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Field}: {Message}";
}
