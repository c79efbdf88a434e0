namespace CutoverEngine.Engine.Audit;

/// <summary>What a wave did: its own events and each environment's cutover.</summary>
public sealed record WaveHistory
{
    public string Wave { get; init; } = "";
    public IReadOnlyList<WaveEvent> Events { get; init; } = [];

    /// <summary>In the order the environments first appear in the journal.</summary>
    public IReadOnlyList<EnvironmentHistory> Environments { get; init; } = [];
    public DateTimeOffset? FirstEntryAt { get; init; }
    public DateTimeOffset? LastEntryAt { get; init; }

    /// <summary>Environments per outcome.</summary>
    public IReadOnlyDictionary<string, int> Outcomes =>
        Environments.GroupBy(e => e.Outcome).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
