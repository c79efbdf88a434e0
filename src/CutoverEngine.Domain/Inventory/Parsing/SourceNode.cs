using YamlDotNet.Core;
using YamlDotNet.Core.Events;

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

internal sealed class SourceScalar(SourcePosition position, string text, bool isPlain) : SourceNode(position)
{
    public string Text { get; } = text;

    /// <summary>Plain (unquoted) scalars follow YAML's null spellings; a quoted "null" is the string null.</summary>
    public bool IsNull { get; } = isPlain && text is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => "a value";
}

internal sealed class SourceSequence(SourcePosition position, IReadOnlyList<SourceNode> items) : SourceNode(position)
{
    public IReadOnlyList<SourceNode> Items { get; } = items;

    public override string KindName => "a list";
}

internal sealed record SourceEntry(SourceNode Key, SourceNode Value);

internal sealed class SourceMapping(SourcePosition position, IReadOnlyList<SourceEntry> entries) : SourceNode(position)
{
    public IReadOnlyList<SourceEntry> Entries { get; } = entries;

    public override string KindName => "a mapping";
}

/// <summary>Thrown for YAML that cannot be read as one document (syntax errors, several documents, bad aliases).</summary>
internal sealed class SourceSyntaxException(SourcePosition position, string message) : Exception(message)
{
    public SourcePosition Position { get; } = position;
}

/// <summary>Builds the <see cref="SourceNode"/> tree of a single-document YAML text from YamlDotNet's parser events.</summary>
internal static class SourceTree
{
    /// <returns>The document's root node, or null when the text holds no document at all (empty file, comments only).</returns>
    /// <exception cref="SourceSyntaxException">The text is not well-formed YAML or holds more than one document.</exception>
    public static SourceNode? Read(string yamlText)
    {
        var scanner = new Scanner(new StringReader(yamlText));
        try
        {
            var parser = new Parser(scanner);
            var anchors = new Dictionary<string, SourceNode>(StringComparer.Ordinal);
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
                return null;

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors);
            parser.Consume<DocumentEnd>();

            if (parser.Accept<DocumentStart>(out var second))
                throw new SourceSyntaxException(SourcePosition.From(second.Start),
                    "the inventory must be a single YAML document, but a second one starts here");
            parser.Consume<StreamEnd>();
            return root is SourceScalar { IsNull: true } ? null : root;
        }
        catch (YamlException e)
        {
            throw new SourceSyntaxException(SourcePosition.From(e.Start), "YAML syntax error: " + WithoutPosition(e.Message));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (an unclosed '[' followed by block
            // content, for one) instead of raising a YamlException; it is still the file's fault, not ours.
            throw new SourceSyntaxException(SourcePosition.From(scanner.CurrentPosition),
                $"YAML syntax error: the YAML reader could not go on from here (an unclosed bracket or quote before this point is a common cause; reader said: {e.Message})");
        }
    }

    static SourceNode ReadNode(IParser parser, Dictionary<string, SourceNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // Aliases are allowed (shared blocks such as a common testMessage); they read as the anchored node.
            if (anchors.TryGetValue(alias.Value.Value, out var target))
                return target;
            throw new SourceSyntaxException(SourcePosition.From(alias.Start), $"alias '*{alias.Value.Value}' refers to no anchor defined before it");
        }

        SourceNode node;
        NodeEvent start;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            start = scalar;
            node = new SourceScalar(SourcePosition.From(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain);
        }
        else if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            start = sequenceStart;
            var items = new List<SourceNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode(parser, anchors));
            node = new SourceSequence(SourcePosition.From(sequenceStart.Start), items);
        }
        else
        {
            var mappingStart = parser.Consume<MappingStart>();
            start = mappingStart;
            var entries = new List<SourceEntry>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(parser, anchors);
                entries.Add(new SourceEntry(key, ReadNode(parser, anchors)));
            }
            node = new SourceMapping(SourcePosition.From(mappingStart.Start), entries);
        }

        if (!start.Anchor.IsEmpty)
            anchors[start.Anchor.Value] = node;
        return node;
    }

    // YamlException messages start with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the error
    // carries the position itself, so it is dropped from the text.
    static string WithoutPosition(string message)
    {
        const string separator = "): ";
        if (!message.StartsWith("(Line:", StringComparison.Ordinal))
            return message;
        var end = message.IndexOf(") - (Line:", StringComparison.Ordinal);
        var cut = end < 0 ? message.IndexOf(separator, StringComparison.Ordinal) : message.IndexOf(separator, end + 1, StringComparison.Ordinal);
        return cut < 0 ? message : message[(cut + separator.Length)..];
    }
}
