using System.Text;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Customers;

/// <summary>
/// The customers an inventory names (through its environments), each under a stable id for links and feeds: the
/// customer's name folded to <c>[a-z0-9-]</c> ("Société Générale — Zürich" is <c>societe-generale-zurich</c>). Two
/// names that fold to one id are refused, so a link can never reach another customer's data.
/// </summary>
public sealed class CustomerDirectory
{
    readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<CutoverEnvironment>> _environments = new(StringComparer.Ordinal);

    public CustomerDirectory(Inventory.Inventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        foreach (var environment in inventory.Environments)
        {
            var id = IdOf(environment.Customer);
            if (_names.TryGetValue(id, out var other) && other != environment.Customer)
                throw new InvalidOperationException(
                    $"Customers '{other}' and '{environment.Customer}' share the id '{id}'; rename one of them."
                );
            _names[id] = environment.Customer;
            if (!_environments.TryGetValue(id, out var list))
                _environments[id] = list = [];
            list.Add(environment);
        }
    }

    /// <summary>Every customer id, in the order the inventory first names each.</summary>
    public IEnumerable<string> Ids => _names.Keys;

    /// <summary>The customer's name as the inventory writes it; null for an id nobody has.</summary>
    public string? NameOf(string id) => _names.GetValueOrDefault(id);

    /// <summary>The customer's environments, in file order; empty for an unknown id.</summary>
    public IReadOnlyList<CutoverEnvironment> EnvironmentsOf(string id) =>
        _environments.TryGetValue(id, out var list) ? list : [];

    /// <summary>The id of a customer's name: lower case ASCII letters and digits, accented Latin letters folded to
    /// their base letters, other runs folded to one hyphen.</summary>
    public static string IdOf(string customerName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerName);
        var id = new StringBuilder(customerName.Length);
        foreach (var c in customerName.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
                id.Append(c);
            else if (LatinFolds.TryGetValue(c, out var folded))
                id.Append(folded);
            else if (id.Length > 0 && id[^1] != '-')
                id.Append('-');
        }
        var text = id.ToString().Trim('-');
        return text.Length == 0 ? "customer" : text;
    }

    // A table, not Unicode decomposition: the engine runs with invariant globalization, where string.Normalize
    // leaves "é" whole. Latin-1 and Latin Extended-A letters cover the customer names of European companies.
    static readonly Dictionary<char, string> LatinFolds = BuildFolds(
        ("àáâãäåāăą", "a"),
        ("æ", "ae"),
        ("çćĉċč", "c"),
        ("ďđ", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("œ", "oe"),
        ("ŕŗř", "r"),
        ("śŝşš", "s"),
        ("ß", "ss"),
        ("ţťŧ", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("þ", "th"),
        ("ð", "d")
    );

    static Dictionary<char, string> BuildFolds(params (string Letters, string Base)[] groups)
    {
        var folds = new Dictionary<char, string>();
        foreach (var (letters, folded) in groups)
        foreach (var c in letters)
            folds[c] = folded;
        return folds;
    }
}
