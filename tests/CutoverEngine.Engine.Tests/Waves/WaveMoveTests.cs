using CutoverEngine.Domain.Inventory;
using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Waves;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.Engine.Tests.Waves;

public sealed class WaveMoveTests
{
    [Fact]
    public async Task Moving_an_environment_sends_the_superseding_notice_and_journals_the_customers_reason()
    {
        await using var w = new WaveWorld([
            WaveWorld.Env("acme-dev", "acme", Tier.Development),
            WaveWorld.Env("acme-stg", "acme", Tier.Staging),
            WaveWorld.Env("solo-stg", "solo", Tier.Staging),
        ]);
        await using var relay = new LoopbackRelay(refuse: false);
        w.Provider.GetRequiredService<NoticeSmtpOptions>().Relay = $"127.0.0.1:{relay.Port}";
        await w.Service.CreateAsync("w1", ["acme-dev", "acme-stg"], WaveWorld.T0.AddDays(10), 1, WaveOrder.Tier, "al");
        await w.Service.CreateAsync("w2", ["solo-stg"], WaveWorld.T0.AddDays(12), 1, WaveOrder.Tier, "al");
        await w.Service.ScheduleAsync("w1", WaveWorld.T0.AddDays(10), "al");
        await w.Service.ScheduleAsync("w2", WaveWorld.T0.AddDays(12), "al");
        var before = relay.Messages.Count;

        var target = await w.Service.MoveAsync("acme-stg", "w2", "al", "the customer has a launch that week");

        Assert.Equal(["solo-stg", "acme-stg"], target.Environments);
        Assert.Equal(["acme-dev"], (await w.Store.GetAsync("w1")).Environments);
        var notice = Assert.Single(relay.Messages.Skip(before));
        Assert.Equal(["ops@acme-stg.example.test"], notice.To);
        Assert.Contains("in wave w2", notice.Decoded().TextBody);
        Assert.Contains("environment-moved", await w.JournalEventsAsync("w2"));
        // Moving it again changes nothing.
        await w.Service.MoveAsync("acme-stg", "w2", "al", "the customer has a launch that week");
        Assert.Single(relay.Messages.Skip(before));
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
