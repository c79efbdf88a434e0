using System.Collections.Concurrent;
using System.Text;

namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// The kebab-case names the inventory file (and the rest of the wire: CLI, journal) uses for enum values:
/// <c>V7Hosted</c> is <c>v7-hosted</c>, <c>ElasticIp</c> is <c>elastic-ip</c>. One rule, so no table can drift.
/// </summary>
public static class WireNames
{
    static readonly ConcurrentDictionary<Type, IReadOnlyList<(Enum Value, string Name)>> Tables = new();

    public static string ToWireName<TEnum>(this TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var (member, name) in Table<TEnum>())
            if (member.Equals(value))
                return name;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(TEnum).Name}");
    }

    /// <summary>Parses an exact (case-sensitive) wire name.</summary>
    public static bool TryParse<TEnum>(string wireName, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var (member, name) in Table<TEnum>())
        {
            if (string.Equals(name, wireName, StringComparison.Ordinal))
            {
                value = (TEnum)member;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>All wire names of <typeparamref name="TEnum"/> in declaration order, for messages and help
    /// texts.</summary>
    public static IReadOnlyList<string> All<TEnum>()
        where TEnum : struct, Enum => Table<TEnum>().Select(entry => entry.Name).ToArray();

    static IReadOnlyList<(Enum Value, string Name)> Table<TEnum>()
        where TEnum : struct, Enum =>
        Tables.GetOrAdd(
            typeof(TEnum),
            _ => Enum.GetValues<TEnum>().Select(value => ((Enum)value, Kebab(value.ToString()))).ToArray()
        );

    static string Kebab(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
                builder.Append('-');
            builder.Append(char.ToLowerInvariant(pascal[i]));
        }
        return builder.ToString();
    }
}
