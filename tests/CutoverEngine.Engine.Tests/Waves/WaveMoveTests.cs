using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class WaveMoveTests
{
    /// <summary>acme-dev and acme-stg in w1 (day 10), solo-stg in w2 (day 12), both scheduled through the
    /// relay: each customer holds its invitation of SEQUENCE 0.</summary>
    static async Task<WaveWorld> TwoScheduledWavesAsync(LoopbackRelay relay)
    {
        var w = new WaveWorld([
            WaveWorld.Env("acme-dev", "acme", Tier.Development),
            WaveWorld.Env("acme-stg", "acme", Tier.Staging),
            WaveWorld.Env("solo-stg", "solo", Tier.Staging),
        ]);
        w.Provider.GetRequiredService<NoticeSmtpOptions>().Relay = $"127.0.0.1:{relay.Port}";
        await w.Service.CreateAsync("w1", ["acme-dev", "acme-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "al");
        await w.Service.CreateAsync("w2", ["solo-stg"], WaveWorld.T0.AddDays(12), 1, WaveOrder.Tier, "al");
        await w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "al");
        await w.Service.ScheduleAsync("w2", WaveWorld.T0.AddDays(12), "al");
        return w;
    }

    static bool IsCancel(RelayedMessage m) =>
        (m.Decoded().Subject ?? "").StartsWith("Cancelled: ", StringComparison.Ordinal);

    [Fact]
    public async Task Moving_an_environment_sends_the_superseding_notice_and_cancels_the_old_invitation()
    {
        await using var relay = new LoopbackRelay(refuse: false);
        await using var w = await TwoScheduledWavesAsync(relay);
        var before = relay.Messages.Count;

        var target = await w.Service.MoveAsync("acme-stg", "w2", "al", "the customer has a launch that week");

        Assert.Equal(["solo-stg", "acme-stg"], target.Environments);
        Assert.Equal(["acme-dev"], (await w.Store.GetAsync("w1")).Environments);
        var sent = relay.Messages.Skip(before).ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal(["ops@acme-stg.example.test"], m.To));
        // The new wave's event, and the cancel of the old one with a SEQUENCE above the invitation the customer holds.
        var (request, requestMethod) = sent[0].Invitation();
        Assert.Equal("REQUEST", requestMethod);
        Assert.Contains("UID:w2.acme-stg@cutover-engine\r\n", request);
        Assert.Contains("in wave w2", sent[0].Decoded().TextBody);
        var (cancel, cancelMethod) = sent[1].Invitation();
        Assert.Equal("CANCEL", cancelMethod);
        Assert.Contains("METHOD:CANCEL\r\n", cancel);
        Assert.Contains("UID:w1.acme-stg@cutover-engine\r\n", cancel);
        Assert.Contains("SEQUENCE:1\r\n", cancel);
        Assert.Contains("STATUS:CANCELLED\r\n", cancel);
        Assert.Contains("DTSTART:20260611T080000Z\r\n", cancel);
        Assert.Equal("cancel.w1.acme-stg.1@cutover-engine", sent[1].Decoded().MessageId);
        Assert.Contains("environment-moved", await w.JournalEventsAsync("w2"));
        Assert.Equal(
            ["wave-created", "customer-notified", "customer-notified", "wave-scheduled", "invitation-cancelled"],
            await w.JournalEventsAsync("w1")
        );
        Assert.Empty(await w.Store.PendingInvitationCancelsAsync("acme-stg"));
        // Moving it again changes nothing and sends nothing.
        await w.Service.MoveAsync("acme-stg", "w2", "al", "the customer has a launch that week");
        Assert.Equal(2, relay.Messages.Skip(before).Count());
    }

    [Fact]
    public async Task A_move_back_invites_the_customer_with_a_sequence_above_the_cancel()
    {
        await using var relay = new LoopbackRelay(refuse: false);
        await using var w = await TwoScheduledWavesAsync(relay);
        await w.Service.MoveAsync("acme-stg", "w2", "al", "a launch that week");
        var before = relay.Messages.Count;

        await w.Service.MoveAsync("acme-stg", "w1", "al", "the launch moved");

        var sent = relay.Messages.Skip(before).ToList();
        Assert.Equal(2, sent.Count);
        var (request, _) = sent[0].Invitation();
        Assert.Contains("UID:w1.acme-stg@cutover-engine\r\n", request);
        Assert.Contains("SEQUENCE:2\r\n", request); // 0 the first invitation, 1 its cancel
        var (cancel, method) = sent[1].Invitation();
        Assert.Equal("CANCEL", method);
        Assert.Contains("UID:w2.acme-stg@cutover-engine\r\n", cancel);
        Assert.Contains("SEQUENCE:1\r\n", cancel);
    }

    [Fact]
    public async Task A_relay_that_refuses_the_new_notice_refuses_the_move_and_cancels_nothing()
    {
        await using var relay = new LoopbackRelay(refuse: false);
        await using var w = await TwoScheduledWavesAsync(relay);
        var before = relay.Messages.Count;
        relay.RefuseWhen = _ => true;

        await Assert.ThrowsAsync<NoticesFailedException>(() =>
            w.Service.MoveAsync("acme-stg", "w2", "al", "a launch that week")
        );

        Assert.Equal(["acme-dev", "acme-stg"], (await w.Store.GetAsync("w1")).Environments);
        Assert.Equal(["solo-stg"], (await w.Store.GetAsync("w2")).Environments);
        Assert.Equal(before, relay.Messages.Count);
        Assert.Empty(await w.Store.PendingInvitationCancelsAsync("acme-stg"));
        Assert.DoesNotContain("invitation-cancelled", await w.JournalEventsAsync("w1"));
    }

    [Fact]
    public async Task A_refused_cancel_leaves_the_move_standing_journals_it_and_moving_again_sends_it_once()
    {
        await using var relay = new LoopbackRelay(refuse: false);
        await using var w = await TwoScheduledWavesAsync(relay);
        var before = relay.Messages.Count;
        relay.RefuseWhen = IsCancel;

        var target = await w.Service.MoveAsync("acme-stg", "w2", "al", "a launch that week");

        Assert.Contains("acme-stg", target.Environments);
        Assert.Single(relay.Messages.Skip(before)); // the new wave's invitation only
        Assert.Contains("wave-notices-failed", await w.JournalEventsAsync("w1"));
        Assert.DoesNotContain("invitation-cancelled", await w.JournalEventsAsync("w1"));
        var owed = Assert.Single(await w.Store.PendingInvitationCancelsAsync("acme-stg"));
        Assert.Equal(("w1", 1), (owed.WaveId, owed.Sequence));

        relay.RefuseWhen = null;
        await w.Service.MoveAsync("acme-stg", "w2", "al", "a launch that week");
        await w.Service.MoveAsync("acme-stg", "w2", "al", "a launch that week");

        var cancel = Assert.Single(relay.Messages.Skip(before), IsCancel);
        Assert.Contains("UID:w1.acme-stg@cutover-engine\r\n", cancel.Invitation().Text);
        Assert.Contains("SEQUENCE:1\r\n", cancel.Invitation().Text);
        Assert.Single(await w.JournalEventsAsync("w1"), e => e == "invitation-cancelled");
        Assert.Empty(await w.Store.PendingInvitationCancelsAsync("acme-stg"));
    }

    [Fact]
    public async Task Moving_production_to_a_window_closer_than_30_days_needs_the_override_reason()
    {
        await using var w = new WaveWorld();
        await w.Store.RecordCutoverAsync("earlier", "acme-stg", "wf-1", "completed");
        await w.Service.CreateAsync("w1", ["acme-prod"], WaveWorld.T0.AddDays(40), 1, WaveOrder.Tier, "al");
        await w.Service.CreateAsync("w2", ["solo-prod"], WaveWorld.T0.AddDays(20), 1, WaveOrder.Tier, "al");
        await w.NotifyAllAsync("w1");
        await w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(40), "al");
        await w.Service.ScheduleAsync("w2", WaveWorld.T0.AddDays(20), "al", overrideReason: "solo agreed by phone");

        var e = await Assert.ThrowsAsync<PolicyRefusedException>(() =>
            w.Service.MoveAsync("acme-prod", "w2", "al", "the customer wants it sooner")
        );
        Assert.Contains("[notice] acme-prod (production", e.Message);
        Assert.Equal(["acme-prod"], (await w.Store.GetAsync("w1")).Environments);

        var moved = await w.Service.MoveAsync("acme-prod", "w2", "al", "sooner", overrideReason: "approved by the CAB");
        Assert.Contains("acme-prod", moved.Environments);
        Assert.Equal(WaveState.Cancelled, (await w.Store.GetAsync("w1")).State);
    }
}
