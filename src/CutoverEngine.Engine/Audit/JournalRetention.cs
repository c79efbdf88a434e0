using System.Globalization;

namespace CutoverEngine.Engine.Audit;

/// <summary>Settings of <see cref="JournalRetention"/>.</summary>
public sealed class JournalRetentionOptions
{
    public const int DefaultBatchSize = 1000;

    /// <summary>
    /// Entries pruned per transaction. Default 1000: small enough that the engine's journal writer waits only
    /// milliseconds for each batch, large enough that a million old entries take a few hundred transactions.
    /// </summary>
    public int BatchSize { get; set; } = DefaultBatchSize;
}

/// <summary>What one prune did.</summary>
public sealed record JournalPruneResult
{
    /// <summary>Entries written before this time lost their payload.</summary>
    public DateTimeOffset Cutoff { get; init; }

    /// <summary>Payloads removed by this run (0 when run again with the same cutoff).</summary>
    public long EntriesPruned { get; init; }

    /// <summary>Characters of payload JSON removed.</summary>
    public long PayloadCharactersRemoved { get; init; }
    public int Batches { get; init; }
}

/// <summary>
/// Keeps the journal from growing without bound: drops the payload of old entries and keeps everything the chain
/// vouches for (fields, payload hash, hashes), so the journal still verifies and still tells who did what when.
/// The file does not shrink (SQLite reuses the freed pages for new entries); VACUUM it offline to give space back.
/// </summary>
public sealed class JournalRetention(string databasePath, TimeProvider clock, JournalRetentionOptions? options = null)
{
    readonly int _batchSize = (options ?? new JournalRetentionOptions()).BatchSize is var b and > 0
        ? b
        : throw new ArgumentOutOfRangeException(
            nameof(options),
            "JournalRetentionOptions.BatchSize must be at least 1."
        );

    /// <summary>Prunes the payloads of entries older than <paramref name="olderThan"/> (measured from now).</summary>
    public Task<JournalPruneResult> PruneAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        if (olderThan <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(
                nameof(olderThan),
                olderThan,
                "The retention age must be positive; pruning everything up to now is never meant."
            );
        return PruneBeforeAsync(clock.GetUtcNow() - olderThan, ct);
    }

    /// <summary>
    /// Prunes the payloads of entries written before <paramref name="cutoff"/>. Idempotent. A payload that no longer
    /// matches its hash is not pruned: pruning would erase the evidence of the tampering, so the run stops and names
    /// it.
    /// </summary>
    public async Task<JournalPruneResult> PruneBeforeAsync(DateTimeOffset cutoff, CancellationToken ct = default)
    {
        // The journal writes times in one fixed-width UTC form, so text order is time order.
        var cutoffText = SqliteJournal.Format(cutoff);
        await using var connection = JournalDatabase.Open(databasePath, forWriting: true);
        long after = 0,
            pruned = 0,
            characters = 0;
        var batches = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            await using var tx = connection.BeginTransaction(deferred: false);
            var batch = new List<long>(_batchSize);
            long batchCharacters = 0;
            await using (var select = connection.CreateCommand())
            {
                select.Transaction = tx;
                select.CommandText =
                    "SELECT seq, payload, payload_hash FROM journal WHERE seq > $after AND payload IS NOT NULL AND at < $cutoff ORDER BY seq LIMIT $limit";
                select.Parameters.AddWithValue("$after", after);
                select.Parameters.AddWithValue("$cutoff", cutoffText);
                select.Parameters.AddWithValue("$limit", _batchSize);
                await using var r = await select.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var seq = r.GetInt64(0);
                    var payload = r.GetString(1);
                    if (!string.Equals(SqliteJournal.HashOf(payload), r.GetString(2), StringComparison.Ordinal))
                        throw new JournalTamperedException(
                            seq,
                            $"Entry #{seq.ToString(CultureInfo.InvariantCulture)} has a payload that does not match its hash; not pruning it (that would erase the evidence). "
                                + $"Run `cutover audit verify` and investigate before pruning. {pruned} payloads were pruned before it."
                        );
                    batch.Add(seq);
                    batchCharacters += payload.Length;
                }
            }
            if (batch.Count == 0)
                break;
            await using (var update = connection.CreateCommand())
            {
                update.Transaction = tx;
                // The same conditions again, bounded by the batch: only rows just checked are touched.
                update.CommandText =
                    "UPDATE journal SET payload = NULL WHERE seq BETWEEN $first AND $last AND payload IS NOT NULL AND at < $cutoff";
                update.Parameters.AddWithValue("$first", batch[0]);
                update.Parameters.AddWithValue("$last", batch[^1]);
                update.Parameters.AddWithValue("$cutoff", cutoffText);
                pruned += await update.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            characters += batchCharacters;
            batches++;
            after = batch[^1];
            if (batch.Count < _batchSize)
                break;
        }
        return new JournalPruneResult
        {
            Cutoff = cutoff,
            EntriesPruned = pruned,
            PayloadCharactersRemoved = characters,
            Batches = batches,
        };
    }
}

/// <summary>An entry was found altered while working on the journal.</summary>
public sealed class JournalTamperedException(long sequence, string message) : Exception(message)
{
    public long Sequence { get; } = sequence;
}
