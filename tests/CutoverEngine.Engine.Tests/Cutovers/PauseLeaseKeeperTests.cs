using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Cutovers;
using CutoverEngine.Sending.SendingControl;

namespace CutoverEngine.Engine.Tests.Cutovers;

/// <summary>The pause lease is renewed from inside a healthy cutover once the configured share of it has elapsed, and
/// never after the resume.</summary>
public sealed class PauseLeaseKeeperTests
{
    sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    sealed class RecordingSendingControl(ManualClock clock) : ISendingControl
    {
        public List<TimeSpan> Renewals { get; } = [];

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

        public Task<SendingStatus> GetStatusAsync(SendingControlAddress control, CancellationToken ct = default) =>
            throw new NotSupportedException();

        public Task<SendingStatus> RenewLeaseAsync(
            SendingControlAddress control,
            TimeSpan lease,
            CancellationToken ct = default
        )
        {
            Renewals.Add(lease);
            return Task.FromResult(new SendingStatus { Paused = true, LeaseExpiresAt = clock.Now + lease });
        }
    }

    sealed class NullJournal : ICutoverJournal
    {
        public Task<JournalEntry> AppendAsync(JournalEvent entry, CancellationToken ct = default) =>
            Task.FromResult(new JournalEntry());

        public Task<IReadOnlyList<JournalEntry>> ReadAsync(JournalQuery query, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<JournalEntry>>([]);
    }

    static CutoverContext Run(DateTimeOffset pausedAt, TimeSpan lease)
    {
        var data = new CutoverData
        {
            Subject = new CutoverSubject
            {
                EnvironmentId = "acme-stg",
                SendingControl = "http://127.0.0.1:1/environments/acme-stg",
            },
            PausedAt = pausedAt,
            LeaseExpiresAt = pausedAt + lease,
        };
        return OneStepRuns.At("verify", "Verify", TimeSpan.FromMinutes(5), 7, lease, data);
    }

    [Fact]
    public async Task The_lease_is_renewed_once_half_of_it_has_elapsed_and_not_before()
    {
        var start = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        var sending = new RecordingSendingControl(clock);
        var keeper = new PauseLeaseKeeper(clock, sending, new NullJournal(), new LeaseLapseJournal(new NullJournal()));
        var run = Run(start, TimeSpan.FromMinutes(10));

        clock.Now = start.AddMinutes(4.9);
        await keeper.RenewIfDueAsync(run, default);
        Assert.Empty(sending.Renewals);

        clock.Now = start.AddMinutes(5);
        await keeper.RenewIfDueAsync(run, default);
        Assert.Equal([TimeSpan.FromMinutes(10)], sending.Renewals);
        Assert.Equal(start.AddMinutes(15), run.Data.LeaseExpiresAt);
        Assert.Equal(1, run.Data.LeaseRenewals);

        clock.Now = start.AddMinutes(6);
        await keeper.RenewIfDueAsync(run, default);
        Assert.Single(sending.Renewals);
    }

    [Fact]
    public async Task A_resumed_cutover_never_renews_the_lease()
    {
        var start = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start.AddMinutes(9));
        var sending = new RecordingSendingControl(clock);
        var run = Run(start, TimeSpan.FromMinutes(10));
        run.Data.ResumedAt = start.AddMinutes(8);
        await new PauseLeaseKeeper(
            clock,
            sending,
            new NullJournal(),
            new LeaseLapseJournal(new NullJournal())
        ).RenewIfDueAsync(run, default);
        Assert.Empty(sending.Renewals);
    }
}
