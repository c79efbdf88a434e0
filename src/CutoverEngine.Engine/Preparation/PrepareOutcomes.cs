namespace CutoverEngine.Engine.Preparation;

/// <summary>One record's TTL as prepare left it: the original remembered, the TTL now, whether this run wrote
/// it.</summary>
public sealed record TtlLowering(string Name, string Type, long OriginalTtl, long Ttl, bool Written);

/// <summary>
/// The sending domain's SPF record as prepare left it: before and after, the mechanisms added, or why it was
/// refused (then nothing was written).
/// </summary>
public sealed record SpfPreparation(
    string Domain,
    string Before,
    string After,
    IReadOnlyList<string> Added,
    string? Refused,
    bool Written
);
