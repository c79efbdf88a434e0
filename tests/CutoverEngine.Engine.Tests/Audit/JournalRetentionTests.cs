using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Tests.Audit;

public sealed class JournalRetentionTests : IDisposable
{
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    JournalRetention Retention(int batchSize = 16) =>
        new(db.Path, db.Clock, new JournalRetentionOptions { BatchSize = batchSize });

    /// <summary>100 entries on day 0 (75 with a payload), then 50 more 100 days later; "now" is day 100.</summary>
    async Task SeedOldAndNewAsync()
    {
        await db.SeedAsync(100);
        db.Clock.Advance(TimeSpan.FromDays(100));
        await db.SeedAsync(50);
    }

    [Fact]
    public async Task Prune_drops_old_payloads_in_batches_and_keeps_their_hashes()
    {
        await SeedOldAndNewAsync();
        var hashesBefore = db.Scalar("SELECT group_concat(payload_hash || hash, ',') FROM journal");

        var result = await Retention().PruneAsync(TimeSpan.FromDays(90));

        Assert.Equal(75, result.EntriesPruned);
        Assert.Equal(5, result.Batches); // 16 + 16 + 16 + 16 + 11
        Assert.True(result.PayloadCharactersRemoved > 75 * 20);
        Assert.Equal(db.Clock.GetUtcNow() - TimeSpan.FromDays(90), result.Cutoff);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM journal WHERE seq <= 100 AND payload IS NOT NULL"));
        Assert.Equal(38L, db.Scalar("SELECT count(*) FROM journal WHERE seq > 100 AND payload IS NOT NULL"));
        Assert.Equal(hashesBefore, db.Scalar("SELECT group_concat(payload_hash || hash, ',') FROM journal"));
    }

    [Fact]
    public async Task Journal_still_verifies_after_pruning()
    {
        await SeedOldAndNewAsync();

        await Retention().PruneAsync(TimeSpan.FromDays(90));
        var verification = await new JournalVerifier(db.Path).VerifyAsync();

        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
        Assert.Equal(150, verification.EntriesChecked);
        Assert.Equal(75, verification.PrunedPayloads);
    }

    [Fact]
    public async Task Pruning_again_with_the_same_age_changes_nothing()
    {
        await SeedOldAndNewAsync();
        await Retention().PruneAsync(TimeSpan.FromDays(90));

        var again = await Retention().PruneAsync(TimeSpan.FromDays(90));

        Assert.Equal(0, again.EntriesPruned);
        Assert.Equal(0, again.Batches);
    }

    [Fact]
    public async Task Entries_younger_than_the_cutoff_are_kept()
    {
        await db.SeedAsync(8); // entries at Start + 1 s ... Start + 8 s

        var result = await Retention().PruneBeforeAsync(TempJournal.Start + TimeSpan.FromSeconds(5));

        // Entries 1..4 are older; entry 4 has no payload to prune. Entry 5, written at the cutoff itself, is kept.
        Assert.Equal(3, result.EntriesPruned);
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM journal WHERE seq IN (1, 2, 3) AND payload IS NOT NULL"));
        Assert.Equal(3L, db.Scalar("SELECT count(*) FROM journal WHERE seq IN (5, 6, 7) AND payload IS NOT NULL"));
    }

    [Fact]
    public async Task An_altered_payload_is_not_pruned_and_the_run_names_it()
    {
        await SeedOldAndNewAsync();
        db.Execute("UPDATE journal SET payload = '{\"summary\":\"forged\"}' WHERE seq = 42");

        var error = await Assert.ThrowsAsync<JournalTamperedException>(() =>
            Retention().PruneAsync(TimeSpan.FromDays(90))
        );

        Assert.Equal(42, error.Sequence);
        Assert.Contains("#42", error.Message);
        Assert.Equal("{\"summary\":\"forged\"}", db.Scalar("SELECT payload FROM journal WHERE seq = 42"));
        var verification = await new JournalVerifier(db.Path).VerifyAsync();
        Assert.Equal(42, verification.FirstBreak?.Sequence);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_non_positive_age_is_refused(int days)
    {
        await db.SeedAsync(3);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Retention().PruneAsync(TimeSpan.FromDays(days)));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM journal WHERE payload IS NULL"));
    }
}

public sealed class RetentionAgeTests
{
    [Theory]
    [InlineData("90d", 90 * 24)]
    [InlineData("1d", 24)]
    [InlineData("36h", 36)]
    [InlineData(" 7D ", 7 * 24)]
    public void Days_and_hours_are_accepted(string text, int hours)
    {
        Assert.True(RetentionAge.TryParse(text, out var age, out var error), error);
        Assert.Equal(TimeSpan.FromHours(hours), age);
    }

    [Theory]
    [InlineData("", "not an age")]
    [InlineData("90", "no unit")]
    [InlineData("90m", "no unit")]
    [InlineData("d", "not an age")]
    [InlineData("-5d", "not a whole number")]
    [InlineData("1.5d", "not a whole number")]
    [InlineData("ninetyd", "not a whole number")]
    [InlineData("0d", "zero")]
    [InlineData("99999999d", "more than 100 years")]
    public void Nonsense_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(RetentionAge.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }
}
