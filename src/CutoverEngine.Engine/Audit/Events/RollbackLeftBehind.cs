namespace CutoverEngine.Engine.Audit.Events;

/// <summary>What the failed restore left, as AWS answers now, beside what the snapshot recorded before the
/// cutover.</summary>
/// <param name="ReadError">Why the state could not be read back (then the lists are empty).</param>
public sealed record RollbackLeftBehind(
    IReadOnlyList<LeftAddress> Addresses,
    IReadOnlyList<LeftRecord> Records,
    LeftRange? Range,
    string? ReadError
)
{
    /// <summary>Every record reads as the snapshot recorded it, and a BYOIP range is where it was.</summary>
    public bool DnsAndRangeRestored =>
        ReadError is null && Records.All(IsRestored) && (Range is null || Range.Before == Range.Now);

    /// <summary>The record set holds the values it held before (in any order).</summary>
    public static bool IsRestored(LeftRecord r) =>
        r.Before.Order(StringComparer.Ordinal).SequenceEqual(r.Now.Order(StringComparer.Ordinal));
}

/// <summary>An Elastic IP: the instance it was associated with before the cutover (null: none) and now.</summary>
public sealed record LeftAddress(string AllocationId, string PublicIp, string? Before, string? Now);

/// <summary>A record set's values before the cutover and now.</summary>
public sealed record LeftRecord(string Name, string Type, IReadOnlyList<string> Before, IReadOnlyList<string> Now);

/// <summary>A BYOIP range's state (advertised, provisioned, ...) before the cutover and now.</summary>
public sealed record LeftRange(string Cidr, string? Before, string? Now);
