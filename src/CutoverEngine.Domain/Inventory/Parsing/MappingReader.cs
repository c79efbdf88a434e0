namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>A value node together with its field path, so that whoever checks it can report where.</summary>
internal readonly record struct Field(SourceNode Node, string Path);

/// <summary>
/// Reads one YAML mapping with a fixed set of keys. Unknown keys are errors (a typo such as `regoin` must not
/// silently drop an override), and so are keys given twice (YAML readers disagree on which one wins).
/// </summary>
internal sealed class MappingReader
{
    readonly SourceMapping mapping;
    readonly string path;
    readonly ErrorCollector errors;
    readonly Dictionary<string, SourceEntry> entries = new(StringComparer.Ordinal);

    public MappingReader(SourceMapping mapping, string path, IReadOnlyList<string> knownKeys, ErrorCollector errors)
    {
        this.mapping = mapping;
        this.path = path;
        this.errors = errors;

        foreach (var entry in mapping.Entries)
        {
            if (entry.Key is not SourceScalar { IsNull: false } key)
            {
                errors.Add(entry.Key, PathOf("?"), $"a field name must be a plain name, not {entry.Key.KindName}");
                continue;
            }
            if (entries.TryGetValue(key.Text, out var first))
            {
                errors.Add(
                    key,
                    PathOf(key.Text),
                    $"'{key.Text}' is given twice in the same mapping (first on line {first.Key.Position.Line})"
                );
                continue;
            }
            entries.Add(key.Text, entry);
            if (!knownKeys.Contains(key.Text))
            {
                var hint = Spelling.Closest(key.Text, knownKeys) is { } closest ? $" (did you mean '{closest}'?)" : "";
                errors.Add(
                    key,
                    PathOf(key.Text),
                    $"unknown field '{key.Text}'{hint}; allowed fields: {string.Join(", ", knownKeys)}"
                );
            }
        }
    }

    public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>The field, or null (reported) when it is absent or empty.</summary>
    public Field? Required(string key)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            errors.Add(mapping, PathOf(key), "required field missing");
            return null;
        }
        if (entry.Value is SourceScalar { IsNull: true })
        {
            errors.Add(entry.Value, PathOf(key), "required field is empty");
            return null;
        }
        return new Field(entry.Value, PathOf(key));
    }

    /// <summary>The field, or null when it is absent or explicitly null.</summary>
    public Field? Optional(string key) =>
        entries.TryGetValue(key, out var entry) && entry.Value is not SourceScalar { IsNull: true }
            ? new Field(entry.Value, PathOf(key))
            : null;
}
