namespace CutoverEngine.Engine.Audit;

/// <summary>Outcome of <see cref="JournalVerifier.VerifyAsync"/>.</summary>
public sealed record JournalVerification
{
    /// <summary>Entries read, up to and including the first broken one.</summary>
    public long EntriesChecked { get; init; }

    /// <summary>Hash of the last intact entry (the genesis hash for an empty journal).</summary>
    public string LastHash { get; init; } = SqliteJournal.Genesis;
    public long LastSequence { get; init; }

    /// <summary>Payloads already removed by retention; their hashes still take part in the chain.</summary>
    public long PrunedPayloads { get; init; }
    public JournalBreak? FirstBreak { get; init; }
    public bool IsIntact => FirstBreak is null;
}
