using YamlDotNet.Core;

namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>Where a node starts in the inventory file (1-based line and column).</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public static SourcePosition From(Mark mark) => new((int)mark.Line, (int)mark.Column);
}

/// <summary>
/// A YAML node with its position. The inventory reader works on this small tree rather than on YamlDotNet's
/// representation model so that duplicate keys become ordinary, positioned errors (the representation model
/// stops at the first one) and so that every scalar keeps its source text: `id: 011111111111` stays a string.
/// </summary>
internal abstract class SourceNode(SourcePosition position)
{
    public SourcePosition Position { get; } = position;

    /// <summary>How the node is named in messages: "a mapping", "a list", "a value".</summary>
    public abstract string KindName { get; }
}

internal sealed record SourceEntry(SourceNode Key, SourceNode Value);

/// <summary>Thrown for YAML that cannot be read as one document (syntax errors, several documents, bad
/// aliases).</summary>
internal sealed class SourceSyntaxException(SourcePosition position, string message) : Exception(message)
{
    public SourcePosition Position { get; } = position;
}
