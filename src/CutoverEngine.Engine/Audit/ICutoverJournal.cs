namespace CutoverEngine.Engine.Audit;

/// <summary>The audit journal: append-only, hash-chained.</summary>
public interface ICutoverJournal
{
    Task<JournalEntry> AppendAsync(JournalEvent entry, CancellationToken ct = default);

    Task<IReadOnlyList<JournalEntry>> ReadAsync(JournalQuery query, CancellationToken ct = default);
}
