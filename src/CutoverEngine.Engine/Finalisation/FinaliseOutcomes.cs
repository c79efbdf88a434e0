namespace CutoverEngine.Engine.Finalisation;

/// <summary>A TTL prepare lowered, put back (or why not: already back, the record changed since, the record
/// gone).</summary>
public sealed record TtlRestore(string Name, string Type, long From, long To, bool Written, string? Note);

/// <summary>Who announced a BYOIP range when finalise looked, and whether that confirms the data centre
/// stopped.</summary>
public sealed record RangeConfirmation(string Cidr, IReadOnlyList<long> OriginAsns, bool Confirmed, string? Why);

/// <summary>An old data-centre address after the cutover: unused (for the data centre to release; finalise releases
/// nothing) or still named by a record.</summary>
public sealed record OldAddress(string Address, string Host, string? StillNamedBy);

/// <summary>The SPF record's retirement of the old addresses: what was removed, what stays and why, or why the
/// record was left alone.</summary>
public sealed record SpfCleanUp(
    string Domain,
    string Before,
    string After,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Kept,
    string? Note,
    bool Written
);
