namespace CutoverEngine.Domain.Inventory.Parsing;

internal sealed class SourceMapping(SourcePosition position, IReadOnlyList<SourceEntry> entries) : SourceNode(position)
{
    public IReadOnlyList<SourceEntry> Entries { get; } = entries;

    public override string KindName => "a mapping";
}
