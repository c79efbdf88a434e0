using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Engine.Tests.Waves;

/// <summary>With Waves:Notice:Smtp:Relay set, scheduling and rescheduling tell the customers through it.</summary>
public sealed class ScheduleNoticeTests
{
    static void UseRelay(WaveWorld w, LoopbackRelay relay) =>
        w.Provider.GetRequiredService<NoticeSmtpOptions>().Relay = $"127.0.0.1:{relay.Port}";

    static (string Text, string Method) Invitation(RelayedMessage m) => m.Invitation();

    [Fact]
    public async Task Scheduling_sends_each_notice_with_the_window_as_a_calendar_invitation_and_records_it()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        UseRelay(w, relay);
        var at = WaveWorld.T0.AddDays(10);
        await w.Service.CreateAsync("w1", ["acme-stg"], at, 1, WaveOrder.Tier, "alice");

        var wave = await w.Service.ScheduleAsync("w1", at, "alice");

        Assert.Equal(WaveState.Scheduled, wave.State);
        var message = Assert.Single(relay.Messages);
        Assert.Equal(["ops@acme-stg.example.test"], message.To);
        var (ics, method) = Invitation(message);
        Assert.Equal("REQUEST", method);
        Assert.Contains("METHOD:REQUEST\r\n", ics);
        Assert.Contains("UID:w1.acme-stg@cutover-engine\r\n", ics);
        Assert.Contains("SEQUENCE:0\r\n", ics);
        Assert.Contains("DTSTART:20260611T080000Z\r\n", ics);
        Assert.Contains("ORGANIZER:mailto:cutover-notices@localhost\r\n", ics);
        Assert.Equal(
            new Dictionary<string, DateTimeOffset> { ["acme-stg"] = WaveWorld.T0 },
            await w.Store.LatestNoticesAsync(["acme-stg"])
        );
        var events = await w.JournalEventsAsync("w1");
        Assert.Equal(["wave-created", "customer-notified", "wave-scheduled"], events);
    }

    [Fact]
    public async Task A_reschedule_sends_a_superseding_invitation_with_the_same_uid_and_a_higher_sequence()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        UseRelay(w, relay);
        await w.Service.CreateAsync("w1", ["acme-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "alice");
        await w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "alice");
        w.Clock.Advance(TimeSpan.FromDays(1));

        await w.Service.RescheduleAsync("w1", WaveWorld.T0.AddDays(12), "alice", "the customer asked for Friday");

        Assert.Equal(2, relay.Messages.Count);
        var (ics, _) = Invitation(relay.Messages[1]);
        Assert.Contains("UID:w1.acme-stg@cutover-engine\r\n", ics);
        Assert.Contains("SEQUENCE:1\r\n", ics);
        Assert.Contains("DTSTART:20260613T080000Z\r\n", ics);
        Assert.StartsWith("Updated: ", relay.Messages[1].Decoded().Subject, StringComparison.Ordinal);
        Assert.Equal(WaveWorld.T0.AddDays(1), (await w.Store.LatestNoticesAsync(["acme-stg"]))["acme-stg"]);
    }

    [Fact]
    public async Task Cancelling_a_scheduled_wave_sends_a_calendar_cancel_of_the_same_event()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        UseRelay(w, relay);
        await w.Service.CreateAsync("w1", ["acme-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "alice");
        await w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "alice");

        await w.Service.CancelAsync("w1", "alice", "the customer withdrew");

        Assert.Equal(2, relay.Messages.Count);
        var (ics, method) = Invitation(relay.Messages[1]);
        Assert.Equal("CANCEL", method);
        Assert.Contains("METHOD:CANCEL\r\n", ics);
        Assert.Contains("UID:w1.acme-stg@cutover-engine\r\n", ics);
        Assert.Contains("SEQUENCE:1\r\n", ics);
        Assert.Contains("STATUS:CANCELLED\r\n", ics);
    }

    [Fact]
    public async Task A_production_window_ten_days_out_is_refused_naming_the_rule_and_nothing_is_sent()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: false);
        UseRelay(w, relay);
        await w.Store.RecordCutoverAsync("earlier", "acme-stg", "wf-1", "completed");
        await w.Service.CreateAsync("w1", ["acme-prod"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "alice");

        var e = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "alice")
        );

        var violation = Assert.Single(e.Violations);
        Assert.Equal(("acme-prod", NoticePolicy.Rule), (violation.EnvironmentId, violation.Rule));
        Assert.Contains("[notice] acme-prod (production, acme)", e.Message);
        Assert.Contains("30 d required", e.Message);
        Assert.Empty(relay.Messages);
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-prod"]));
        Assert.Equal(WaveState.Draft, (await w.Store.GetAsync("w1")).State);
    }

    [Fact]
    public async Task A_relay_that_refuses_leaves_the_wave_unscheduled_with_nothing_recorded_and_the_failure_journaled()
    {
        await using var w = new WaveWorld();
        await using var relay = new LoopbackRelay(refuse: true);
        UseRelay(w, relay);
        await w.Service.CreateAsync("w1", ["acme-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "alice");

        var e = await Assert.ThrowsAsync<NoticesFailedException>(() =>
            w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "alice")
        );

        Assert.Contains("the notice of acme-stg was not sent", e.Message);
        Assert.Contains("554", e.Message);
        Assert.Equal(WaveState.Draft, (await w.Store.GetAsync("w1")).State);
        Assert.Empty(await w.Store.LatestNoticesAsync(["acme-stg"]));
        Assert.Empty(await w.Scheduler.TriggersAsync("w1"));
        Assert.Equal(["wave-created", "wave-notices-failed"], await w.JournalEventsAsync("w1"));
    }
}
