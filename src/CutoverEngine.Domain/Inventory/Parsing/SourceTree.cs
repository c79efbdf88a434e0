using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>Builds the <see cref="SourceNode"/> tree of a single-document YAML text from YamlDotNet's parser
/// events.</summary>
internal static class SourceTree
{
    /// <summary>Reads the tree, or reports the syntax error in <paramref name="errors"/> and returns false: the
    /// inventory and the freeze calendar read their files the same way.</summary>
    public static bool TryRead(string yamlText, ErrorCollector errors, out SourceNode? root)
    {
        try
        {
            root = Read(yamlText);
            return true;
        }
        catch (SourceSyntaxException e)
        {
            errors.Add(e.Position, "", e.Message);
            root = null;
            return false;
        }
    }

    /// <returns>The document's root node, or null when the text holds no document at all (empty file, comments
    /// only).</returns>
    /// <exception cref="SourceSyntaxException">The text is not well-formed YAML or holds more than one
    /// document.</exception>
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
                throw new SourceSyntaxException(
                    SourcePosition.From(second.Start),
                    "the inventory must be a single YAML document, but a second one starts here"
                );
            parser.Consume<StreamEnd>();
            return root is SourceScalar { IsNull: true } ? null : root;
        }
        catch (YamlException e)
        {
            throw new SourceSyntaxException(
                SourcePosition.From(e.Start),
                "YAML syntax error: " + WithoutPosition(e.Message)
            );
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (an unclosed '[' followed by block
            // content, for one) instead of raising a YamlException; it is still the file's fault, not ours.
            throw new SourceSyntaxException(
                SourcePosition.From(scanner.CurrentPosition),
                $"YAML syntax error: the YAML reader could not go on from here (an unclosed bracket or quote before this point is a common cause; reader said: {e.Message})"
            );
        }
    }

    static SourceNode ReadNode(IParser parser, Dictionary<string, SourceNode> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // Aliases are allowed (shared blocks such as a common testMessage); they read as the anchored node.
            if (anchors.TryGetValue(alias.Value.Value, out var target))
                return target;
            throw new SourceSyntaxException(
                SourcePosition.From(alias.Start),
                $"alias '*{alias.Value.Value}' refers to no anchor defined before it"
            );
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
        var cut =
            end < 0
                ? message.IndexOf(separator, StringComparison.Ordinal)
                : message.IndexOf(separator, end + 1, StringComparison.Ordinal);
        return cut < 0 ? message : message[(cut + separator.Length)..];
    }
}
