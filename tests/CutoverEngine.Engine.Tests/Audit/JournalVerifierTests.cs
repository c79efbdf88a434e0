using CutoverEngine.Engine.Audit;

namespace CutoverEngine.Engine.Tests.Audit;

public sealed class JournalVerifierTests : IDisposable
{
    const int Entries = 300;
    readonly TempJournal db = new();

    public void Dispose() => db.Dispose();

    // A small page so that every test also crosses page boundaries.
    JournalVerifier Verifier() => new(db.Path) { PageSize = 64 };

    [Fact]
    public async Task Intact_journal_of_a_few_hundred_entries_verifies_up_to_its_last_hash()
    {
        await db.SeedAsync(Entries);
        var last = (await db.Journal.ReadAsync(new JournalQuery { AfterSequence = Entries - 1 }))[0];

        var result = await Verifier().VerifyAsync();

        Assert.True(result.IsIntact, result.FirstBreak?.Reason);
        Assert.Equal(Entries, result.EntriesChecked);
        Assert.Equal(Entries, result.LastSequence);
        Assert.Equal(last.Hash, result.LastHash);
    }

    [Fact]
    public async Task Empty_journal_verifies_with_the_genesis_hash()
    {
        await db.SeedAsync(1);
        db.Execute("DELETE FROM journal");

        var result = await Verifier().VerifyAsync();

        Assert.True(result.IsIntact);
        Assert.Equal(0, result.EntriesChecked);
        Assert.Equal(SqliteJournal.Genesis, result.LastHash);
    }

    [Theory]
    [InlineData(1, "payload = '{\"summary\":\"forged\"}'", JournalBreakKind.PayloadAltered)]
    [InlineData(138, "payload = '{\"summary\":\"forged\"}'", JournalBreakKind.PayloadAltered)]
    [InlineData(64, "actor = 'mallory'", JournalBreakKind.HashMismatch)]
    [InlineData(65, "at = '2026-03-01T00:00:00.0000000Z'", JournalBreakKind.HashMismatch)]
    [InlineData(200, "event = 'step-skipped'", JournalBreakKind.HashMismatch)]
    [InlineData(Entries, "environment = 'someone-else'", JournalBreakKind.HashMismatch)]
    [InlineData(17, "step = 'verify', wave = NULL", JournalBreakKind.HashMismatch)]
    [InlineData(18, "definition_version = 4", JournalBreakKind.HashMismatch)]
    [InlineData(19, "payload_hash = 'ab'", JournalBreakKind.HashMismatch)]
    public async Task Editing_one_entry_breaks_verification_at_exactly_that_entry(
        int sequence,
        string assignment,
        JournalBreakKind kind
    )
    {
        await db.SeedAsync(Entries);
        Assert.Equal(1, db.Execute($"UPDATE journal SET {assignment} WHERE seq = {sequence}"));

        var result = await Verifier().VerifyAsync();

        var broken = Assert.IsType<JournalBreak>(result.FirstBreak);
        Assert.Equal(sequence, broken.Sequence);
        Assert.Equal(kind, broken.Kind);
        Assert.Equal(sequence, result.EntriesChecked);
        Assert.Equal(sequence - 1, result.LastSequence);
    }

    [Fact]
    public async Task Break_names_the_entry_as_stored()
    {
        await db.SeedAsync(20);
        db.Execute("UPDATE journal SET actor = 'mallory' WHERE seq = 9");

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(db.Scalar("SELECT event FROM journal WHERE seq = 9"), broken.Event);
        Assert.Equal("env-1", broken.Environment);
        Assert.Equal(db.Scalar("SELECT at FROM journal WHERE seq = 9"), broken.At);
        Assert.StartsWith("hash mismatch", broken.Reason);
    }

    [Fact]
    public async Task Rewriting_a_time_to_the_same_instant_in_another_form_is_detected()
    {
        await db.SeedAsync(10);
        var at = (string)db.Scalar("SELECT at FROM journal WHERE seq = 4")!;
        db.Execute($"UPDATE journal SET at = '{at.Replace("Z", "+00:00")}' WHERE seq = 4");

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(4, broken.Sequence);
        Assert.Equal(JournalBreakKind.HashMismatch, broken.Kind);
    }

    [Fact]
    public async Task A_forged_entry_with_a_recomputed_hash_breaks_the_link_of_the_next_entry()
    {
        await db.SeedAsync(50);
        var original = (await db.Journal.ReadAsync(new JournalQuery { AfterSequence = 29, Limit = 1 }))[0];
        var forged = original with { Actor = "mallory" };
        db.Execute($"UPDATE journal SET actor = 'mallory', hash = '{SqliteJournal.ChainHash(forged)}' WHERE seq = 30");

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(31, broken.Sequence);
        Assert.Equal(JournalBreakKind.BrokenLink, broken.Kind);
        Assert.Contains("entry #30", broken.Reason);
    }

    [Fact]
    public async Task Deleting_an_entry_fails_at_the_gap()
    {
        await db.SeedAsync(Entries);
        db.Execute("DELETE FROM journal WHERE seq = 128");

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(129, broken.Sequence);
        Assert.Equal(JournalBreakKind.SequenceGap, broken.Kind);
        Assert.Contains("entry #128 is missing", broken.Reason);
    }

    [Fact]
    public async Task Deleting_several_entries_names_the_missing_range()
    {
        await db.SeedAsync(40);
        db.Execute("DELETE FROM journal WHERE seq BETWEEN 10 AND 12");

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(13, broken.Sequence);
        Assert.Contains("entries #10 to #12 are missing", broken.Reason);
    }

    [Fact]
    public async Task Deleting_the_first_entry_fails_at_the_start()
    {
        await db.SeedAsync(10);
        db.Execute("DELETE FROM journal WHERE seq = 1");

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(2, broken.Sequence);
        Assert.Equal(JournalBreakKind.SequenceGap, broken.Kind);
    }

    [Fact]
    public async Task An_entry_slipped_in_before_the_first_is_found()
    {
        await db.SeedAsync(10);
        db.Execute(
            "INSERT INTO journal (seq, at, actor, event, payload_hash, prev_hash, hash) SELECT 0, at, 'mallory', event, payload_hash, prev_hash, hash FROM journal WHERE seq = 1"
        );

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(0, broken.Sequence);
        Assert.Equal(JournalBreakKind.OutOfSequence, broken.Kind);
    }

    [Fact]
    public async Task Swapping_two_entries_fails_at_the_first_of_them()
    {
        await db.SeedAsync(30);
        db.Execute(
            "UPDATE journal SET seq = -1 WHERE seq = 10; UPDATE journal SET seq = 10 WHERE seq = 11; UPDATE journal SET seq = 11 WHERE seq = -1;"
        );

        var broken = (await Verifier().VerifyAsync()).FirstBreak!;

        Assert.Equal(10, broken.Sequence);
        Assert.Equal(JournalBreakKind.BrokenLink, broken.Kind);
    }

    [Fact]
    public async Task Pruned_payloads_still_verify()
    {
        await db.SeedAsync(Entries);
        var pruned = db.Execute("UPDATE journal SET payload = NULL WHERE seq <= 150 AND payload IS NOT NULL");

        var result = await Verifier().VerifyAsync();

        Assert.True(result.IsIntact, result.FirstBreak?.Reason);
        Assert.Equal(Entries, result.EntriesChecked);
        Assert.True(pruned > 100);
        Assert.Equal(pruned, result.PrunedPayloads);
    }

    [Fact]
    public async Task Missing_database_is_reported_and_not_created()
    {
        var path = Path.Combine(db.Directory, "absent.db");

        var error = await Assert.ThrowsAsync<JournalUnavailableException>(() =>
            new JournalVerifier(path).VerifyAsync()
        );

        Assert.Contains(path, error.Message);
        Assert.False(File.Exists(path));
    }
}
