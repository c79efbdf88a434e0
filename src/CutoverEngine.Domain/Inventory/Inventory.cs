namespace CutoverEngine.Domain.Inventory;

/// <summary>
/// The validated description of the customer environments to cut over and the AWS accounts they move into.
/// <see cref="InventoryLoader"/> builds one only from a file without a single error (tests may build one directly).
/// </summary>
/// <param name="Version">The inventory format version (1).</param>
/// <param name="Accounts">The accounts, in file order.</param>
/// <param name="Environments">The environments, in file order; ids are unique.</param>
public sealed record Inventory(
    int Version,
    IReadOnlyList<AwsAccount> Accounts,
    IReadOnlyList<CutoverEnvironment> Environments
)
{
    /// <summary>The format version this engine reads.</summary>
    public const int CurrentVersion = 1;

    public CutoverEnvironment? FindEnvironment(string id) =>
        Environments.FirstOrDefault(environment => string.Equals(environment.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// The environments with the given ids, in the order asked for (a repeated id counts once).
    /// All ids must exist: a typo must not quietly shrink a wave.
    /// </summary>
    /// <exception cref="ArgumentException">No id was given.</exception>
    /// <exception cref="UnknownEnvironmentException">At least one id is not in the inventory; the message names each,
    /// with a hint for near misses.</exception>
    public IReadOnlyList<CutoverEnvironment> Select(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
            throw new ArgumentException(
                "No environment id given; name at least one environment of the inventory.",
                nameof(ids)
            );

        var selected = new List<CutoverEnvironment>(wanted.Count);
        var unknown = new List<string>();
        foreach (var id in wanted)
        {
            if (FindEnvironment(id) is { } environment)
                selected.Add(environment);
            else
                unknown.Add(id);
        }

        if (unknown.Count > 0)
            throw new UnknownEnvironmentException(unknown, DescribeUnknown(unknown));
        return selected;
    }

    /// <summary>The declared range groups (<see cref="RangeGroup"/>), in file order of their first
    /// environment.</summary>
    public IReadOnlyList<RangeGroup> RangeGroups =>
        [
            .. Environments
                .Where(e => e.RangeGroup is not null && e.ByoipCidr is not null)
                .GroupBy(e => e.RangeGroup!, StringComparer.Ordinal)
                .Select(g => new RangeGroup(
                    g.Key,
                    g.MinBy(e => e.ByoipCidr!.Value.PrefixLength)!.ByoipCidr!.Value,
                    [.. g]
                )),
        ];

    /// <summary>The range group the environment moves with, or null when it moves alone.</summary>
    public RangeGroup? RangeGroupOf(CutoverEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.RangeGroup is { } name
            ? RangeGroups.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.Ordinal))
            : null;
    }

    string DescribeUnknown(IReadOnlyList<string> unknown)
    {
        var known = Environments.Select(environment => environment.Id).ToList();
        var names = unknown.Select(id =>
            Spelling.Closest(id, known) is { } hint ? $"'{id}' (did you mean '{hint}'?)" : $"'{id}'"
        );
        var noun = unknown.Count == 1 ? "environment" : "environments";
        return $"Unknown {noun} {string.Join(", ", names)}: not in the inventory, which defines {string.Join(", ", known)}.";
    }
}
