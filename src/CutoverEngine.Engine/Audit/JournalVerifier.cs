namespace CutoverEngine.Engine.Audit;

/// <summary>Why an entry does not fit the chain.</summary>
public enum JournalBreakKind
{
    /// <summary>The entry's stored hash is not the hash of its fields: a field (actor, time, event, ...) was
    /// edited.</summary>
    HashMismatch,

    /// <summary>The payload is present but no longer hashes to the payload hash the chain vouches for.</summary>
    PayloadAltered,

    /// <summary>Sequence numbers skip: entries were deleted (or the journal does not start at #1).</summary>
    SequenceGap,

    /// <summary>A sequence number below the expected one (the journal starts at #1): an entry was slipped in.</summary>
    OutOfSequence,

    /// <summary>The entry does not name its predecessor's hash: entries were replaced, reordered or
    /// re-hashed.</summary>
    BrokenLink,

    /// <summary>A stored value cannot be read back as the journal wrote it (e.g. a time that is not a time).</summary>
    Malformed,
}

/// <summary>The first entry that does not match, and why.</summary>
public sealed record JournalBreak(long Sequence, JournalBreakKind Kind, string Reason)
{
    public string Event { get; init; } = "";
    public string? Environment { get; init; }

    /// <summary>The entry's time as stored (it may be the tampered value).</summary>
    public string At { get; init; } = "";
}

/// <summary>
/// Recomputes the journal's hash chain from the first entry to the last and names the first entry that does not
/// match. Reads in pages by sequence so that millions of entries take constant memory and no long read
/// transaction holds back the engine's WAL checkpoints.
/// A chain without an outside anchor cannot detect the removal of its newest entries, nor a whole tail rewritten
/// by someone who recomputes every hash; compare <see cref="JournalVerification.LastHash"/> with a copy kept elsewhere
/// for that.
/// </summary>
public sealed class JournalVerifier(string databasePath)
{
    static readonly string EmptyPayloadHash = SqliteJournal.HashOf("");

    /// <summary>Rows read per query. Default 5000.</summary>
    public int PageSize { get; init; } = 5000;

    public async Task<JournalVerification> VerifyAsync(CancellationToken ct = default)
    {
        if (PageSize < 1)
            throw new InvalidOperationException("JournalVerifier.PageSize must be at least 1." + $" It is {PageSize}.");
        await using var connection = JournalDatabase.Open(databasePath, forWriting: false);
        long expectedSequence = 1,
            checkedCount = 0,
            pruned = 0;
        // From the lowest key there is, not from #1: a row slipped in below #1 must be seen too.
        var after = long.MinValue;
        var previousHash = SqliteJournal.Genesis;
        while (true)
        {
            var pageRows = 0;
            await using var page = connection.CreateCommand();
            page.CommandText =
                $"SELECT {JournalDatabase.Columns} FROM journal WHERE seq > $after ORDER BY seq LIMIT $limit";
            page.Parameters.AddWithValue("$after", after);
            page.Parameters.AddWithValue("$limit", PageSize);
            await using var reader = await page.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                pageRows++;
                checkedCount++;
                var row = JournalDatabase.ReadRow(reader);
                var problem = Check(row, expectedSequence, previousHash);
                if (problem is not null)
                {
                    return new JournalVerification
                    {
                        EntriesChecked = checkedCount,
                        LastHash = previousHash,
                        LastSequence = expectedSequence - 1,
                        PrunedPayloads = pruned,
                        FirstBreak = problem with { Event = row.Event, Environment = row.Environment, At = row.AtText },
                    };
                }
                if (row.Payload is null && row.PayloadHash != EmptyPayloadHash)
                    pruned++;
                previousHash = row.Hash;
                after = row.Sequence;
                expectedSequence++;
            }
            if (pageRows < PageSize)
                break;
        }
        return new JournalVerification
        {
            EntriesChecked = checkedCount,
            LastHash = previousHash,
            LastSequence = expectedSequence - 1,
            PrunedPayloads = pruned,
        };
    }

    /// <summary>Checks in the order that names the cause most precisely: position, link, the entry's own fields, then
    /// its payload.</summary>
    static JournalBreak? Check(StoredRow row, long expectedSequence, string previousHash)
    {
        if (row.Sequence < expectedSequence)
            return new(
                row.Sequence,
                JournalBreakKind.OutOfSequence,
                $"out of sequence: entry #{row.Sequence} comes where #{expectedSequence} was expected (the journal starts at #1)"
            );
        if (row.Sequence != expectedSequence)
        {
            var missing =
                row.Sequence - 1 == expectedSequence
                    ? $"entry #{expectedSequence} is missing"
                    : $"entries #{expectedSequence} to #{row.Sequence - 1} are missing";
            return new(
                row.Sequence,
                JournalBreakKind.SequenceGap,
                $"sequence gap: {missing} (after #{expectedSequence - 1} comes #{row.Sequence})"
            );
        }
        if (!string.Equals(row.PreviousHash, previousHash, StringComparison.Ordinal))
        {
            var predecessor =
                expectedSequence == 1
                    ? "the genesis hash"
                    : $"the hash of entry #{expectedSequence - 1} ({Short(previousHash)})";
            return new(
                row.Sequence,
                JournalBreakKind.BrokenLink,
                $"broken link: previous hash {Short(row.PreviousHash)} is not {predecessor}"
            );
        }
        if (row.At is not { } at)
            return new(row.Sequence, JournalBreakKind.Malformed, $"time '{row.AtText}' is not a time");
        // The chain hashes the canonical text of the time; a differently written value was not written by the journal.
        if (!string.Equals(SqliteJournal.Format(at), row.AtText, StringComparison.Ordinal))
            return new(
                row.Sequence,
                JournalBreakKind.HashMismatch,
                $"hash mismatch: time '{row.AtText}' is not as the journal writes it"
            );
        if (row.DefinitionVersion is > int.MaxValue or < int.MinValue)
            return new(
                row.Sequence,
                JournalBreakKind.Malformed,
                $"definition version {row.DefinitionVersion} is out of range"
            );
        var recomputed = SqliteJournal.ChainHash(
            new JournalEntry
            {
                Sequence = row.Sequence,
                At = at,
                Actor = row.Actor,
                Event = row.Event,
                Wave = row.Wave,
                Environment = row.Environment,
                WorkflowInstance = row.WorkflowInstance,
                DefinitionId = row.DefinitionId,
                DefinitionVersion = (int?)row.DefinitionVersion,
                DefinitionHash = row.DefinitionHash,
                Step = row.Step,
                PayloadHash = row.PayloadHash,
                PreviousHash = row.PreviousHash,
            }
        );
        if (!string.Equals(recomputed, row.Hash, StringComparison.Ordinal))
            return new(
                row.Sequence,
                JournalBreakKind.HashMismatch,
                $"hash mismatch: the entry's fields hash to {Short(recomputed)}, it records {Short(row.Hash)} (actor, time, event or another field was edited)"
            );
        // Last: the payload hash itself is vouched for by the chain hash checked above.
        if (row.Payload is not null)
        {
            var actual = SqliteJournal.HashOf(row.Payload);
            if (!string.Equals(actual, row.PayloadHash, StringComparison.Ordinal))
                return new(
                    row.Sequence,
                    JournalBreakKind.PayloadAltered,
                    $"payload altered: it hashes to {Short(actual)}, the chain records {Short(row.PayloadHash)}"
                );
        }
        return null;
    }

    static string Short(string hash) => hash.Length > 16 ? hash[..16] + "..." : hash;
}
