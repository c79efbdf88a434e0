namespace CutoverEngine.Domain.Inventory.Parsing;

internal sealed class SourceSequence(SourcePosition position, IReadOnlyList<SourceNode> items) : SourceNode(position)
{
    public IReadOnlyList<SourceNode> Items { get; } = items;

    public override string KindName => "a list";
}
