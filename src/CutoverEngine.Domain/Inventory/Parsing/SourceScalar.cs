namespace CutoverEngine.Domain.Inventory.Parsing;

internal sealed class SourceScalar(SourcePosition position, string text, bool isPlain) : SourceNode(position)
{
    public string Text { get; } = text;

    /// <summary>Plain (unquoted) scalars follow YAML's null spellings; a quoted "null" is the string null.</summary>
    public bool IsNull { get; } = isPlain && text is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => "a value";
}
