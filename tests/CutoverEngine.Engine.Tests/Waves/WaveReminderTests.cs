using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Audit.Events;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class WaveReminderTests
{
    static readonly TimeSpan Lead = TimeSpan.FromHours(48);

    static bool IsReminder(RelayedMessage m) =>
        (m.Decoded().Subject ?? "").StartsWith("Reminder: ", StringComparison.Ordinal);

    /// <summary>w1 with acme-stg scheduled through the relay for <paramref name="at"/>.</summary>
    static async Task ScheduledAsync(WaveWorld w, LoopbackRelay relay, DateTimeOffset at)
    {
        w.Provider.GetRequiredService<NoticeSmtpOptions>().Relay = $"127.0.0.1:{relay.Port}";
        await w.Service.CreateAsync("w1", ["acme-stg"], at, 1, WaveOrder.Tier, "alice");
        await w.Service.ScheduleAsync("w1", at, "alice");
    }

    /// <summary>The sleeping reminder workflows: instance, the start they remind of, when WorkflowCore wakes
    /// them.</summary>
    static async Task<IReadOnlyList<(string Id, DateTimeOffset ScheduledFor, DateTimeOffset? WakesAt)>> RemindersAsync(
        WaveWorld w
    ) =>
        [
            .. (
                await new SleepingWorkflows(
                    w.Provider.GetRequiredService<IWorkflowController>(),
                    w.Provider.GetRequiredService<IPersistenceProvider>()
                ).ListAsync<WaveReminderData>(WaveReminderWorkflow.DefinitionId, default)
            ).Select(p =>
                (
                    p.Instance.Id,
                    p.Data.ScheduledFor,
                    p.Instance.NextExecution is { } ticks
                        ? new DateTimeOffset(ticks, TimeSpan.Zero)
                        : (DateTimeOffset?)null
                )
            ),
        ];

    static async Task<IReadOnlyList<JournalEntry>> RemindedAsync(WaveWorld w) =>
        [
            .. (await w.Journal.ReadAsync(new JournalQuery { Wave = "w1" })).Where(e =>
                e.Event == CustomerRemindedPayload.Event
            ),
        ];

    [Fact]
    public async Task A_rescheduled_wave_is_reminded_once_at_its_new_lead_and_not_at_the_old_one()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        var at = WaveWorld.T0.AddDays(10);
        var later = at.AddDays(2);
        await ScheduledAsync(w, relay, at);
        var old = Assert.Single(await RemindersAsync(w));

        await w.Service.RescheduleAsync("w1", later, "alice", "the customer asked for another slot");

        // The old reminder is terminated; the one left sleeps until the new start's lead.
        Assert.Equal(WorkflowStatus.Terminated, await w.TriggerStatusAsync(old.Id));
        var armed = Assert.Single(await RemindersAsync(w));
        Assert.Equal(later, armed.ScheduledFor);
        Assert.Equal(2, relay.Messages.Count); // the notice and its superseding one

        // Past the old reminder's instant: the poller has looked and nothing was sent or journaled.
        w.Clock.SetUtcNow(at - Lead + TimeSpan.FromMinutes(1));
        await w.PolledNowAsync();
        Assert.Equal(2, relay.Messages.Count);
        Assert.Empty(await RemindedAsync(w));

        // At the new one: exactly one reminder, of the new start.
        w.Clock.SetUtcNow(later - Lead + TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => RemindedAsync(w), r => r.Count >= 1, WaveWorld.Deadline, "customer-reminded");
        await w.PolledNowAsync();
        var reminder = Assert.Single(relay.Messages, IsReminder);
        Assert.Contains("DTSTART:20260613T080000Z\r\n", reminder.Invitation().Text);
        var entry = Assert.Single(await RemindedAsync(w));
        Assert.Equal(later, JournalPayload.Parse(entry.Payload).Time("scheduledFor"));
    }

    [Fact]
    public async Task A_claim_left_by_a_run_that_crashed_before_sending_is_sent_by_the_replay_and_journaled_once()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        var at = WaveWorld.T0.AddDays(10);
        await ScheduledAsync(w, relay, at);
        w.Clock.SetUtcNow(at - Lead);
        // The crashed run: it claimed the reminder and died before the relay had it.
        Assert.Equal(
            ReminderClaim.Claimed,
            await w.Store.ClaimReminderAsync("w1", "acme-stg", at, w.Clock.GetUtcNow())
        );
        var reminders = w.Provider.GetRequiredService<WaveReminders>();

        Assert.Equal(0, await reminders.OnDueAsync("w1", at));
        Assert.Equal(0, await reminders.OnDueAsync("w1", at));

        Assert.Single(relay.Messages, IsReminder);
        Assert.Single(await RemindedAsync(w));
        Assert.Equal(ReminderClaim.Sent, await w.Store.ClaimReminderAsync("w1", "acme-stg", at, w.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_crash_after_the_send_but_before_the_mark_resends_under_the_same_message_id_and_journals_once()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        var at = WaveWorld.T0.AddDays(10);
        await ScheduledAsync(w, relay, at);
        w.Clock.SetUtcNow(at - Lead);
        var reminders = w.Provider.GetRequiredService<WaveReminders>();
        await reminders.OnDueAsync("w1", at);
        // What a crash between the journal entry and the mark leaves: the claim not marked sent.
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={w.DatabasePath};Pooling=false"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE reminders SET sent_at = NULL";
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        await reminders.OnDueAsync("w1", at);

        var copies = relay.Messages.Where(IsReminder).ToList();
        Assert.Equal(2, copies.Count);
        Assert.Equal(
            $"reminder.w1.acme-stg.{at.ToUnixTimeMilliseconds()}@cutover-engine",
            copies[0].Decoded().MessageId
        );
        Assert.Equal(copies[0].Decoded().MessageId, copies[1].Decoded().MessageId);
        Assert.Single(await RemindedAsync(w));
    }

    [Fact]
    public async Task A_reminder_the_relay_refused_stays_owed_and_the_step_sends_it_after_the_retry_interval()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        var at = WaveWorld.T0.AddDays(10);
        await ScheduledAsync(w, relay, at);
        relay.RefuseWhen = IsReminder;
        var remindAt = at - Lead;
        var retry = w.Provider.GetRequiredService<NoticeReminderOptions>().RetryInterval;

        // The reminder falls due and the relay refuses it: the step sleeps durably for the retry interval.
        w.Clock.SetUtcNow(remindAt + TimeSpan.FromSeconds(1));
        var asleep = await Eventually.UntilAsync(
            () => RemindersAsync(w),
            r => r.Count == 1 && r[0].WakesAt > remindAt + TimeSpan.FromSeconds(1),
            WaveWorld.Deadline,
            "the reminder asleep for its retry",
            r => string.Join("; ", r.Select(x => $"{x.Id} wakes {x.WakesAt:O}"))
        );
        Assert.Equal(remindAt + TimeSpan.FromSeconds(1) + retry, asleep[0].WakesAt);
        Assert.Empty(await RemindedAsync(w));
        Assert.Equal(ReminderClaim.Unsent, await w.Store.ClaimReminderAsync("w1", "acme-stg", at, w.Clock.GetUtcNow()));

        relay.RefuseWhen = null;
        w.Clock.SetUtcNow(asleep[0].WakesAt!.Value + TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => RemindedAsync(w), r => r.Count >= 1, WaveWorld.Deadline, "customer-reminded");

        Assert.Single(relay.Messages, IsReminder);
        Assert.Single(await RemindedAsync(w));
    }

    [Fact]
    public async Task The_customers_are_reminded_once_48_hours_before_the_scheduled_start()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        w.Provider.GetRequiredService<NoticeSmtpOptions>().Relay = $"127.0.0.1:{relay.Port}";
        var at = WaveWorld.T0.AddDays(10);
        await w.Service.CreateAsync("w1", ["acme-stg"], at, 1, WaveOrder.Tier, "alice");
        await w.Service.ScheduleAsync("w1", at, "alice");
        Assert.Single(relay.Messages);

        // A moment before the lead: the poller has looked and sent nothing more.
        w.Clock.SetUtcNow(at - TimeSpan.FromHours(48) - TimeSpan.FromMinutes(1));
        await w.PolledNowAsync();
        Assert.Single(relay.Messages);

        // WorkflowCore wakes a sleep one tick after its instant.
        w.Clock.SetUtcNow(at - TimeSpan.FromHours(48) + TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(
            () => relay.Messages.Count,
            n => n >= 2,
            WaveWorld.Deadline,
            "the reminder through the relay"
        );
        var reminder = relay.Messages[1].Decoded();
        Assert.StartsWith("Reminder: ", reminder.Subject, StringComparison.Ordinal);
        Assert.Equal(["ops@acme-stg.example.test"], relay.Messages[1].To);
        await Eventually.UntilAsync(
            () => w.JournalEventsAsync("w1"),
            events => events.Contains("customer-reminded"),
            WaveWorld.Deadline,
            "customer-reminded in the journal"
        );

        // A replay of the step (or a second host) finds the reminder claimed.
        await w.Provider.GetRequiredService<WaveReminders>().OnDueAsync("w1", at);
        Assert.Equal(2, relay.Messages.Count);
        Assert.Single(await w.JournalEventsAsync("w1"), e => e == "customer-reminded");
    }

    [Fact]
    public async Task A_reminder_for_a_start_the_wave_no_longer_has_sends_nothing()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        w.Provider.GetRequiredService<NoticeSmtpOptions>().Relay = $"127.0.0.1:{relay.Port}";
        var at = WaveWorld.T0.AddDays(10);
        await w.Service.CreateAsync("w1", ["acme-stg"], at, 1, WaveOrder.Tier, "alice");
        await w.Service.ScheduleAsync("w1", at, "alice");
        await w.Service.RescheduleAsync("w1", at.AddDays(2), "alice", "the customer asked for another slot");

        await w.Provider.GetRequiredService<WaveReminders>().OnDueAsync("w1", at);

        Assert.Equal(2, relay.Messages.Count); // the notice and its superseding one
        Assert.DoesNotContain("customer-reminded", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task Claims_in_a_file_of_an_engine_that_did_not_mark_reminders_sent_count_as_sent()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cutover-wave-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "cutover.db");
        var at = WaveWorld.T0.AddDays(10);
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            // The reminders table as the engine before claim states wrote it: that engine sent right after claiming.
            cmd.CommandText = """
                CREATE TABLE reminders (
                    wave_id TEXT NOT NULL, environment_id TEXT NOT NULL, scheduled_for TEXT NOT NULL, claimed_at TEXT NOT NULL,
                    PRIMARY KEY (wave_id, environment_id, scheduled_for));
                INSERT INTO reminders VALUES ('w1', 'acme-stg', '2026-06-11T08:00:00.0000000Z', '2026-06-09T08:00:00.0000000Z');
                """;
            await cmd.ExecuteNonQueryAsync();
        }

        var store = new WaveStore(path);

        Assert.Equal(ReminderClaim.Sent, await store.ClaimReminderAsync("w1", "acme-stg", at, WaveWorld.T0));
        Assert.Equal(ReminderClaim.Claimed, await store.ClaimReminderAsync("w1", "acme-dev", at, WaveWorld.T0));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
