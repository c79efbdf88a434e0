using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class WaveReminderTests
{
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
}
