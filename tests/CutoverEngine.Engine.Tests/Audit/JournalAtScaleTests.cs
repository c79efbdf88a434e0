using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Tests.Audit;

public sealed class JournalAtScaleTests : IDisposable
{
    const int Entries = 20_000;
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    [Fact]
    public async Task A_journal_larger_than_many_pages_verifies_and_a_late_edit_is_found()
    {
        await BulkJournal.WriteAsync(db, Entries);

        var intact = await new JournalVerifier(db.Path).VerifyAsync();
        db.Execute($"UPDATE journal SET payload = replace(payload, 'attempt', 'attempts') WHERE seq = {Entries - 1}");
        var broken = await new JournalVerifier(db.Path).VerifyAsync();

        Assert.True(intact.IsIntact, intact.FirstBreak?.Reason);
        Assert.Equal(Entries, intact.EntriesChecked);
        Assert.Equal(Entries - 1, broken.FirstBreak?.Sequence);
        Assert.Equal(JournalBreakKind.PayloadAltered, broken.FirstBreak?.Kind);
    }

    [Fact]
    public async Task Pruning_while_the_engine_appends_leaves_an_intact_chain()
    {
        await BulkJournal.WriteAsync(db, 5_000);
        db.Clock.Now = TempJournal.Start + TimeSpan.FromDays(120);
        var retention = new JournalRetention(db.Path, db.Clock, new JournalRetentionOptions { BatchSize = 200 });

        var prune = Task.Run(() => retention.PruneAsync(TimeSpan.FromDays(90)));
        var appends = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
                await db.Journal.AppendAsync(
                    new JournalEvent(CutoverEngine.Engine.Audit.Events.AwsAttemptPayload.Event, "scheduler")
                    {
                        Environment = "env-live",
                        Payload = new { attempt = 1 },
                    }
                );
        });
        await Task.WhenAll(prune, appends);

        var result = await prune;
        var verification = await new JournalVerifier(db.Path).VerifyAsync();
        Assert.Equal(4_999, result.EntriesPruned); // entry 1 (wave-created) has no payload
        Assert.Equal(25, result.Batches);
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
        Assert.Equal(5_100, verification.EntriesChecked);
        Assert.Equal(100L, db.Scalar("SELECT count(*) FROM journal WHERE payload IS NOT NULL"));
    }
}
