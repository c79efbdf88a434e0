namespace CutoverEngine.Domain.Inventory.Parsing;

/// <summary>
/// Remembers who first used a value that must be unique across the inventory (environment ids, target
/// addresses, instance ids, ...) and reports every later use, pointing back at the first.
/// </summary>
internal sealed class FirstUses(ErrorCollector errors, string what)
{
    readonly Dictionary<string, (string Owner, SourcePosition At)> firstUses = new(StringComparer.Ordinal);

    /// <returns>False when the value was used before (an error has then been reported).</returns>
    public bool Claim(string value, string owner, SourceNode at, string field)
    {
        if (firstUses.TryGetValue(value, out var first))
        {
            errors.Add(at, field, $"{what} '{value}' is already used by {first.Owner} (line {first.At.Line})");
            return false;
        }
        firstUses.Add(value, (owner, at.Position));
        return true;
    }
}
