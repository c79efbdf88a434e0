using System.Text.Json;

namespace CutoverEngine.Engine.Definitions;

/// <summary>
/// Where each value of a JSON document starts (line and column, 1-based), by JSONPath ($.steps[3].kind), so that
/// a semantic error can name its place in the file the way a syntax error does.
/// </summary>
static class JsonPositions
{
    public static Dictionary<string, (int Line, int Column)> Map(byte[] utf8, JsonReaderOptions options)
    {
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
            if (utf8[i] == '\n')
                lineStarts.Add(i + 1);
        (int, int) At(long offset)
        {
            var line = lineStarts.BinarySearch((int)offset);
            if (line < 0)
                line = ~line - 1;
            return (line + 1, (int)offset - lineStarts[line] + 1);
        }

        var map = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8, options);
        var stack = new Stack<Frame>();
        string Path() => stack.Count == 0 ? "$" : stack.Peek().ChildPath();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        stack.Peek().Property = reader.GetString();
                        map.TryAdd(stack.Peek().ChildPath(), At(reader.TokenStartIndex));
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var path = Path();
                        if (stack.Count > 0 && stack.Peek().IsArray)
                            map.TryAdd(path, At(reader.TokenStartIndex));
                        if (stack.Count == 0)
                            map.TryAdd("$", At(reader.TokenStartIndex));
                        stack.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.Pop();
                        if (stack.Count > 0)
                            stack.Peek().Advance();
                        break;
                    case JsonTokenType.Comment:
                        break;
                    default:
                        if (stack.Count > 0)
                        {
                            if (stack.Peek().IsArray)
                                map.TryAdd(stack.Peek().ChildPath(), At(reader.TokenStartIndex));
                            stack.Peek().Advance();
                        }
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Syntax errors are reported by the parser with their own position.
        }
        return map;
    }

    sealed class Frame(string path, bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public string? Property { get; set; }
        int _index;

        public string ChildPath() => IsArray ? $"{path}[{_index}]" : $"{path}.{Property}";

        public void Advance()
        {
            if (IsArray)
                _index++;
        }
    }
}
