using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Engine.Definitions;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>When the sending side resumed by itself because this cutover's lease lapsed, the engine journals
/// <c>resumed-by-lease-expiry</c> once, at the first status it reads that shows it.</summary>
public sealed class LeaseLapseJournalTests
{
    static readonly DateTimeOffset PausedAt = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    sealed class MemoryJournal : ICutoverJournal
    {
        public List<JournalEntry> Entries { get; } = [];

        public Task<JournalEntry> AppendAsync(JournalEvent entry, CancellationToken ct = default)
        {
            var stored = new JournalEntry
            {
                Sequence = Entries.Count + 1,
                Event = entry.Event,
                WorkflowInstance = entry.WorkflowInstance,
                Environment = entry.Environment,
                Payload = System.Text.Json.JsonSerializer.Serialize(entry.Payload),
            };
            Entries.Add(stored);
            return Task.FromResult(stored);
        }

        public Task<IReadOnlyList<JournalEntry>> ReadAsync(JournalQuery query, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<JournalEntry>>([
                .. Entries.Where(e => query.WorkflowInstance is null || e.WorkflowInstance == query.WorkflowInstance),
            ]);
    }

    /// <summary>Renewals are refused as the agent refuses them after a lapse; the status shows the lapse.</summary>
    sealed class LapsedSendingControl(SendingStatus status) : ISendingControl
    {
        public int StatusReads { get; private set; }

        public Task<SendingStatus> PauseAsync(
            SendingControlAddress control,
            TimeSpan lease,
            string reason,
            string requestId,
            CancellationToken ct = default
        ) => throw new NotSupportedException();

        public Task<SendingStatus> ResumeAsync(
            SendingControlAddress control,
            string reason,
            CancellationToken ct = default
        ) => throw new NotSupportedException();

        public Task<SendingStatus> GetStatusAsync(SendingControlAddress control, CancellationToken ct = default)
        {
            StatusReads++;
            return Task.FromResult(status);
        }

        public Task<SendingStatus> RenewLeaseAsync(
            SendingControlAddress control,
            TimeSpan lease,
            CancellationToken ct = default
        ) => throw new SendingControlException(control.Url, 409, "acme-stg is not paused (resumed by lease-expiry)");
    }

    static CutoverContext Run(string instance = "wf-1")
    {
        var step = new StepDefinition("verify", "Verify", TimeSpan.FromMinutes(5), 1, null, [], false, 7);
        var definition = new CutoverDefinition(
            "cutover",
            1,
            "",
            TimeSpan.FromMinutes(60),
            TimeSpan.FromMinutes(2),
            0.5,
            [step],
            [],
            "hash",
            "cutover.v1.json"
        );
        var data = new CutoverData
        {
            Subject = new CutoverSubject
            {
                EnvironmentId = "acme-stg",
                SendingControl = "http://127.0.0.1:1/environments/acme-stg",
            },
            PausedAt = PausedAt,
            SendingPausedAt = PausedAt,
            LeaseExpiresAt = PausedAt.AddMinutes(2),
        };
        return new CutoverContext(instance, data, definition, step);
    }

    static SendingStatus Status(params PauseRecord[] pauses) =>
        new() { EnvironmentId = "acme-stg", Pauses = [.. pauses] };

    static PauseRecord Pause(DateTimeOffset at, string by) =>
        new()
        {
            PausedAt = at,
            ResumedAt = at.AddMinutes(2),
            ResumedBy = by,
        };

    static int Lapses(MemoryJournal journal) =>
        journal.Entries.Count(e => e.Event == SendingResumedByLeaseExpiryPayload.Event);

    [Fact]
    public async Task A_lapse_of_this_cutovers_pause_is_journaled_once_however_often_the_status_shows_it()
    {
        var journal = new MemoryJournal();
        var lapses = new LeaseLapseJournal(journal);
        var run = Run();
        var status = Status(Pause(PausedAt, PauseRecord.ResumedByLeaseExpiry));

        await lapses.NoteAsync(run, status, "ResumeSending", default);
        await lapses.NoteAsync(run, status, "ResumeSending", default);

        Assert.Equal(1, Lapses(journal));
        Assert.Contains("\"SeenBy\":\"ResumeSending\"", journal.Entries.Single().Payload, StringComparison.Ordinal);
        Assert.True(run.Data.LeaseLapseJournaled);
    }

    [Fact]
    public async Task A_replayed_step_whose_flag_was_lost_finds_the_journaled_lapse_and_does_not_write_it_again()
    {
        var journal = new MemoryJournal();
        var status = Status(Pause(PausedAt, PauseRecord.ResumedByLeaseExpiry));
        await new LeaseLapseJournal(journal).NoteAsync(Run(), status, "ResumeSending", default);

        var replayed = Run();
        await new LeaseLapseJournal(journal).NoteAsync(replayed, status, "ResumeSending", default);

        Assert.Equal(1, Lapses(journal));
        Assert.True(replayed.Data.LeaseLapseJournaled);
    }

    [Fact]
    public async Task A_resume_by_the_engine_or_a_lapse_of_an_earlier_pause_is_not_journaled_as_this_cutovers_lapse()
    {
        var journal = new MemoryJournal();
        var status = Status(Pause(PausedAt.AddHours(-3), PauseRecord.ResumedByLeaseExpiry), Pause(PausedAt, "api"));

        await new LeaseLapseJournal(journal).NoteAsync(Run(), status, "ResumeSending", default);

        Assert.Equal(0, Lapses(journal));
    }

    [Fact]
    public async Task A_renewal_refused_because_the_lease_lapsed_reads_the_status_and_journals_the_lapse()
    {
        var journal = new MemoryJournal();
        var sending = new LapsedSendingControl(Status(Pause(PausedAt, PauseRecord.ResumedByLeaseExpiry)));
        var clock = new FixedClock(PausedAt.AddMinutes(3));
        var keeper = new PauseLeaseKeeper(clock, sending, journal, new LeaseLapseJournal(journal));

        await keeper.RenewIfDueAsync(Run(), default);

        Assert.Equal(1, sending.StatusReads);
        Assert.Equal(
            [LeaseRenewalFailedPayload.Event, SendingResumedByLeaseExpiryPayload.Event],
            journal.Entries.Select(e => e.Event)
        );
    }

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
