using System.Globalization;
using CutoverEngine.Domain.Inventory;

namespace CutoverEngine.Domain.Waves.Freezes;

/// <summary>
/// A period in which no cutover may pause sending: for every customer (<see cref="Customers"/> empty), or for the
/// customers named. From the freeze calendar (<see cref="FreezeCalendarReader"/>).
/// </summary>
/// <param name="Name">Unique in the calendar: what refusals, overrides and the journal name.</param>
/// <param name="From">Inclusive start.</param>
/// <param name="To">Exclusive end.</param>
/// <param name="Customers">The customers (inventory names, case-insensitive) it holds for; empty: all.</param>
/// <param name="Reason">Why, as people are told in refusals; may be null.</param>
public sealed record ChangeFreeze(
    string Name,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Customers,
    string? Reason
)
{
    public bool IsGlobal => Customers.Count == 0;

    public bool AppliesTo(CutoverEnvironment environment) =>
        IsGlobal || Customers.Contains(environment.Customer, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the half-open periods [opens, closes) and [From, To) share an instant.</summary>
    public bool Overlaps(DateTimeOffset opens, DateTimeOffset closes) => opens < To && From < closes;

    /// <summary>"'black-friday' (all customers, 2026-11-26 00:00 to 2026-12-01 00:00 UTC: peak sending)".</summary>
    public string Describe()
    {
        var i = CultureInfo.InvariantCulture;
        var who = IsGlobal ? "all customers" : "customer " + string.Join(", ", Customers);
        var when = string.Create(
            i,
            $"{From.ToUniversalTime():yyyy-MM-dd HH:mm} to {To.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
        );
        return $"'{Name}' ({who}, {when}{(Reason is null ? "" : ": " + Reason)})";
    }
}
