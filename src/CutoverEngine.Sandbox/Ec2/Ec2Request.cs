using System.Globalization;
using System.Text.RegularExpressions;

namespace CutoverEngine.Sandbox.Ec2;

/// <summary>
/// Typed access to the EC2 Query parameters of one call. The EC2 protocol flattens lists as <c>Name.N</c>
/// (1-based) and structures in lists as <c>Name.N.Member</c>, e.g. <c>Filter.1.Name</c>, <c>Filter.1.Value.2</c>.
/// </summary>
public sealed partial class Ec2Request(IReadOnlyDictionary<string, string> parameters)
{
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public string? Optional(string name) => Parameters.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string Required(string name) => Optional(name) ?? throw Ec2Error.MissingParameter(name);

    public bool Flag(string name)
    {
        var raw = Optional(name);
        if (raw is null)
            return false;
        return bool.TryParse(raw, out var b)
            ? b
            : throw Ec2Error.InvalidParameterValue(
                $"Value ({raw}) for parameter {name} is invalid. Expected: 'true' or 'false'."
            );
    }

    public int? Integer(string name)
    {
        var raw = Optional(name);
        if (raw is null)
            return null;
        return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Ec2Error.InvalidParameterValue(
                $"Value ({raw}) for parameter {name} is invalid. Expected an integer."
            );
    }

    public bool DryRun => Flag("DryRun");

    /// <summary>Raised by an operation once its parameters are valid and just before it would act.</summary>
    public void ThrowIfDryRun()
    {
        if (DryRun)
            throw Ec2Error.DryRunOperation();
    }

    /// <summary>A flattened list <c>Name.1</c>, <c>Name.2</c>, ... in index order.</summary>
    public IReadOnlyList<string> List(string name)
    {
        var prefix = name + ".";
        return
        [
            .. Parameters
                .Where(p =>
                    p.Key.StartsWith(prefix, StringComparison.Ordinal)
                    && int.TryParse(p.Key.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _)
                )
                .OrderBy(p => int.Parse(p.Key.AsSpan(prefix.Length), CultureInfo.InvariantCulture))
                .Select(p => p.Value),
        ];
    }

    /// <summary>The <c>Filter.N.Name</c> / <c>Filter.N.Value.M</c> filters, in index order.</summary>
    public IReadOnlyList<Ec2Filter> Filters()
    {
        var byIndex = new SortedDictionary<int, (string? Name, SortedDictionary<int, string> Values)>();
        foreach (var (key, value) in Parameters)
        {
            var m = FilterKey().Match(key);
            if (!m.Success)
                continue;
            var n = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!byIndex.TryGetValue(n, out var entry))
                entry = (null, new SortedDictionary<int, string>());
            if (m.Groups[2].Value == "Name")
                entry.Name = value;
            else
                entry.Values[int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)] = value;
            byIndex[n] = entry;
        }
        return
        [
            .. byIndex.Select(e => new Ec2Filter(
                e.Value.Name ?? throw Ec2Error.MissingParameter($"Filter.{e.Key}.Name"),
                [.. e.Value.Values.Values]
            )),
        ];
    }

    [GeneratedRegex(@"^Filter\.(\d+)\.(Name|Value\.(\d+))$", RegexOptions.CultureInvariant)]
    private static partial Regex FilterKey();
}
