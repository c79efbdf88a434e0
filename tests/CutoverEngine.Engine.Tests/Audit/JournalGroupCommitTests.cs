using CutoverEngine.Aws;
using CutoverEngine.Aws.Recording;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.Engine.Tests.Audit;

/// <summary>
/// Group commit: appends queued while the file's write gate is taken go into one transaction, in the order they were
/// made, the chain stays exact, and each caller still learns its entry is stored before its append returns.
/// The gate is taken by the test itself (it is the same gate WorkflowCore's store uses), so no timing is involved.
/// </summary>
public sealed class JournalGroupCommitTests : IDisposable
{
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    static JournalEvent Attempt(int i) =>
        new(CutoverEngine.Engine.Audit.Events.AwsAttemptPayload.Event, "scheduler")
        {
            Wave = "wave-1",
            Environment = $"env-{i % 5}",
            Step = "repoint-dns",
            Payload = new { attempt = i },
        };

    [Fact]
    public async Task Appends_queued_behind_the_write_gate_are_committed_in_one_transaction_in_call_order()
    {
        await db.Journal.AppendAsync(new JournalEvent("wave-created", "cli:alice") { Wave = "wave-1" });
        var before = SqliteGroupCommit.For(db.Path).TransactionsCommitted;
        var gate = SqliteGroupCommit.For(db.Path).Gate;

        await gate.WaitAsync();
        var appends = Enumerable.Range(0, 50).Select(i => db.Journal.AppendAsync(Attempt(i))).ToList();
        Assert.All(appends, a => Assert.False(a.IsCompleted));
        gate.Release();
        var written = await Task.WhenAll(appends);

        Assert.Equal(1, SqliteGroupCommit.For(db.Path).TransactionsCommitted - before);
        Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), written.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $$"""{"attempt":{{i}}}"""), written.Select(e => e.Payload));
        var stored = await db.Journal.ReadAsync(new JournalQuery { AfterSequence = 1 });
        Assert.Equal(written.Select(e => e.Hash), stored.Select(e => e.Hash));
        var verification = await new JournalVerifier(db.Path).VerifyAsync();
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
        Assert.Equal(51, verification.EntriesChecked);
    }

    [Fact]
    public async Task Concurrent_appends_from_many_threads_chain_exactly_and_each_is_stored_when_its_append_returns()
    {
        var journal = new SqliteJournal(db.Path, TimeProvider.System);
        var visibleOnReturn = 0;
        var writesBefore = SqliteGroupCommit.For(db.Path).WritesCommitted;

        await Task.WhenAll(
            Enumerable
                .Range(0, 400)
                .Select(i =>
                    Task.Run(async () =>
                    {
                        var entry = await journal.AppendAsync(Attempt(i));
                        // Read through a connection of its own, as another process would: committed means visible.
                        using var c = new SqliteConnection(
                            new SqliteConnectionStringBuilder { DataSource = db.Path, Pooling = false }.ToString()
                        );
                        c.Open();
                        using var q = c.CreateCommand();
                        q.CommandText = "SELECT hash FROM journal WHERE seq = $seq";
                        q.Parameters.AddWithValue("$seq", entry.Sequence);
                        if ((string?)q.ExecuteScalar() == entry.Hash)
                            Interlocked.Increment(ref visibleOnReturn);
                    })
                )
        );

        Assert.Equal(400, visibleOnReturn);
        Assert.Equal(400L, db.Scalar("SELECT count(DISTINCT seq) FROM journal"));
        Assert.Equal(400L, db.Scalar("SELECT max(seq) FROM journal"));
        Assert.Equal(400, SqliteGroupCommit.For(db.Path).WritesCommitted - writesBefore); // each append one write
        var verification = await new JournalVerifier(db.Path).VerifyAsync();
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
    }

    [Fact]
    public async Task An_append_cancelled_while_queued_leaves_nothing_behind_and_the_chain_continues()
    {
        var gate = SqliteGroupCommit.For(db.Path).Gate;
        using var cancel = new CancellationTokenSource();

        await gate.WaitAsync();
        var cancelled = db.Journal.AppendAsync(Attempt(1), cancel.Token);
        var kept = db.Journal.AppendAsync(Attempt(2));
        cancel.Cancel();
        gate.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var entry = await kept;
        Assert.Equal(1, entry.Sequence);
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM journal"));
        Assert.True((await new JournalVerifier(db.Path).VerifyAsync()).IsIntact);
    }

    [Fact]
    public async Task An_entry_the_database_refuses_fails_alone_and_its_batch_neighbours_are_stored()
    {
        await db.Journal.AppendAsync(new JournalEvent("wave-created", "cli:alice") { Wave = "wave-1" });
        db.Execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON journal WHEN NEW.event = 'refused' BEGIN SELECT RAISE(ABORT, 'entry refused by trigger'); END"
        );
        var gate = SqliteGroupCommit.For(db.Path).Gate;

        await gate.WaitAsync();
        var first = db.Journal.AppendAsync(Attempt(1));
        var refused = db.Journal.AppendAsync(new JournalEvent("refused", "scheduler"));
        var last = db.Journal.AppendAsync(Attempt(3));
        gate.Release();

        var error = await Assert.ThrowsAsync<SqliteException>(() => refused);
        Assert.Contains("entry refused by trigger", error.Message);
        Assert.Equal(new[] { 2L, 3L }, new[] { (await first).Sequence, (await last).Sequence });
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM journal WHERE event = 'refused'"));
        var verification = await new JournalVerifier(db.Path).VerifyAsync();
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
        Assert.Equal(3, verification.EntriesChecked);
    }

    [Fact]
    public async Task Aws_attempts_recorded_before_a_flush_are_in_the_journal_when_the_flush_returns()
    {
        var feed = new AwsAttemptFeed();
        await using var attempts = new AwsAttemptJournal(db.Journal, feed);
        var gate = SqliteGroupCommit.For(db.Path).Gate;

        await gate.WaitAsync();
        for (var i = 1; i <= 30; i++)
            feed.Record(
                new AwsAttempt
                {
                    CallId = Guid.NewGuid(),
                    Service = AwsService.Route53,
                    Operation = "GetChange",
                    Account = "111111111111",
                    AttemptNumber = i,
                    Outcome = AwsAttemptOutcome.Succeeded,
                    StartedAt = TempJournal.Start,
                    Latency = TimeSpan.FromMilliseconds(3),
                    RequestId = $"req-{i}",
                }
            );
        var flush = attempts.FlushAsync();
        Assert.False(flush.IsCompleted);
        gate.Release();
        await flush;

        var stored = await db.Journal.ReadAsync(new JournalQuery());
        Assert.Equal(
            Enumerable.Range(1, 30).Select(i => $"req-{i}"),
            stored.Select(e =>
                System.Text.Json.JsonDocument.Parse(e.Payload!).RootElement.GetProperty("requestId").GetString()
            )
        );
    }
}
