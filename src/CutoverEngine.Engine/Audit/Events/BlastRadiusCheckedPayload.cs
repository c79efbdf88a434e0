using CutoverEngine.Engine.Cutovers.BlastRadius;

namespace CutoverEngine.Engine.Audit.Events;

/// <summary>
/// After the cutover (or its rollback), the zone and the account's addresses compared with the snapshot taken before
/// anything changed. <paramref name="Outside"/> lists every change no cutover of the wave intended, with its
/// before and after; empty, it records that only the intended records and addresses changed. <paramref
/// name="Error"/>: the comparison could not be made (the reads failed); nothing is proved then.
/// </summary>
/// <param name="OwnChanged">This cutover's intended changes as seen (record names, allocation ids).</param>
public sealed record BlastRadiusCheckedPayload(
    int RecordSetsCompared,
    int AddressesCompared,
    IReadOnlyList<string> OwnChanged,
    IReadOnlyList<OutsideChange> Outside,
    string? Error
) : IJournalPayload
{
    public const string Event = "blast-radius-checked";
    public static string EventName => Event;
    public static JournalEventScope Scope => JournalEventScope.Cutover;
}
