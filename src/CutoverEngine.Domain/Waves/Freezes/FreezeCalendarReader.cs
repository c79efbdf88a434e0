using System.Globalization;
using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Inventory.Parsing;

namespace CutoverEngine.Domain.Waves.Freezes;

/// <summary>
/// Reads the change-freeze calendar, a YAML file (format in docs/freezes.md):
/// <code>
/// version: 1
/// freezes:
///   - name: black-friday
///     from: 2026-11-26T00:00:00Z
///     to: 2026-12-01T00:00:00Z
///     reason: peak sending
///   - name: acme-quarter-end
///     customers: [acme]
///     from: 2026-12-28T00:00:00Z
///     to: 2027-01-04T00:00:00Z
/// </code>
/// Every error is reported with file, line, column and field, as the inventory's are; a calendar is returned only
/// when there is none. YAML rather than iCalendar: the inventory is YAML already, people edit it in review, and a
/// freeze needs no recurrence rules. No I/O: the caller reads the file.
/// </summary>
public static class FreezeCalendarReader
{
    static readonly string[] RootKeys = ["version", "freezes"];
    static readonly string[] FreezeKeys = ["name", "from", "to", "customers", "reason"];

    public static (IReadOnlyList<ChangeFreeze>? Freezes, IReadOnlyList<InventoryError> Errors) Parse(
        string yamlText,
        string sourceName
    )
    {
        var errors = new ErrorCollector(sourceName);
        if (!SourceTree.TryRead(yamlText, errors, out var root))
            return (null, errors.InFileOrder());
        // An empty file is a calendar with no freeze: emptying it is how the last freeze is lifted.
        if (root is null)
            return ([], []);
        if (root is not SourceMapping mapping)
        {
            errors.Add(root, "", $"expected a mapping with version and freezes but found {root.KindName}");
            return (null, errors.InFileOrder());
        }
        var fields = new MappingReader(mapping, "", RootKeys, errors);
        if (fields.Required("version") is { } version && Scalar(version, errors) is { } v && v != "1")
            errors.Add(version.Node, version.Path, $"unsupported version '{v}'; this engine reads version 1");
        var freezes = new List<ChangeFreeze>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (fields.Optional("freezes") is { } list)
        {
            if (list.Node is not SourceSequence sequence)
                errors.Add(list.Node, list.Path, $"expected a list of freezes but found {list.Node.KindName}");
            else
                for (var i = 0; i < sequence.Items.Count; i++)
                    if (ReadFreeze(sequence.Items[i], $"freezes[{i}]", errors, names) is { } freeze)
                        freezes.Add(freeze);
        }
        return errors.Count == 0 ? (freezes, []) : (null, errors.InFileOrder());
    }

    /// <param name="names">The names of the freezes before it, valid or not: a name given twice is an error either
    /// way.</param>
    static ChangeFreeze? ReadFreeze(SourceNode node, string path, ErrorCollector errors, HashSet<string> names)
    {
        if (node is not SourceMapping mapping)
        {
            errors.Add(node, path, $"expected a freeze (a mapping) but found {node.KindName}");
            return null;
        }
        var before = errors.Count;
        var fields = new MappingReader(mapping, path, FreezeKeys, errors);
        var name = fields.Required("name") is { } n ? Scalar(n, errors) : null;
        if (name is not null && !names.Add(name))
            errors.Add(mapping, fields.PathOf("name"), $"freeze '{name}' is given twice; names must be unique");
        var from = Time(fields.Required("from"), errors);
        var to = Time(fields.Required("to"), errors);
        if (from is { } f && to is { } t && t <= f)
            errors.Add(mapping, fields.PathOf("to"), $"must be after from ({f:u})");
        var reason = fields.Optional("reason") is { } r ? Scalar(r, errors) : null;
        var customers = new List<string>();
        if (fields.Optional("customers") is { } c)
        {
            if (c.Node is SourceSequence given)
                foreach (var item in given.Items)
                    if (Scalar(new Field(item, c.Path), errors) is { } customer)
                        customers.Add(customer);
            if (c.Node is not SourceSequence || customers.Count == 0)
                errors.Add(c.Node, c.Path, "expected a non-empty list of customer names (leave it out for all)");
        }
        return errors.Count == before && name is not null && from is not null && to is not null
            ? new ChangeFreeze(name, from.Value, to.Value, customers, reason)
            : null;
    }

    static string? Scalar(Field field, ErrorCollector errors)
    {
        if (field.Node is SourceScalar { IsNull: false } scalar && scalar.Text.Trim().Length > 0)
            return scalar.Text.Trim();
        errors.Add(field.Node, field.Path, $"expected a single value but found {field.Node.KindName}");
        return null;
    }

    /// <summary>An ISO 8601 instant with its offset: a freeze without one would move with the reader's zone.</summary>
    static DateTimeOffset? Time(Field? field, ErrorCollector errors)
    {
        if (field is not { } f || Scalar(f, errors) is not { } text)
            return null;
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10;
        if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            return at.ToUniversalTime();
        errors.Add(f.Node, f.Path, $"'{text}' is not an ISO 8601 time with an offset, e.g. 2026-11-26T00:00:00Z");
        return null;
    }
}
