using CutoverEngine.Domain.Waves;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CutoverEngine.EndToEnd.Tests.Cutovers;

/// <summary>An environment being reverted belongs to no new wave; once reverted, a new wave cuts it over
/// again.</summary>
public sealed class RevertHoldsTheEnvironmentTests
{
    static async Task CompleteAsync(WaveService waves, string wave)
    {
        await waves.StartNowAsync(wave, "test", "end-to-end test: no notice period on the sandbox");
        await Eventually.UntilAsync(
            async () => (await waves.Store.GetAsync(wave)).State,
            s => s == WaveState.Completed,
            TimeSpan.FromMinutes(2),
            $"wave {wave} to complete"
        );
    }

    [Fact]
    public async Task A_reverting_environment_joins_no_wave_and_a_reverted_one_is_cut_over_again_by_a_new_wave()
    {
        await using var h = await CutoverHarness.StartAsync();
        await h.StartEngineAsync(services => services.AddCutoverWaves(h.Configuration(), h.Inventory));
        var waves = h.Engine!.Services.GetRequiredService<WaveService>();
        await waves.CreateAsync("w-there", ["acme-stg"], DateTimeOffset.UtcNow, 1, WaveOrder.Explicit, "test");
        await CompleteAsync(waves, "w-there");

        var revert = await h.Engine.Reverts.StartAsync("acme-stg", "rehearsing the way back", "ops");
        var whileReverting = await Assert.ThrowsAsync<EnvironmentTakenException>(() =>
            waves.CreateAsync("w-again", ["acme-stg"], DateTimeOffset.UtcNow, 1, WaveOrder.Explicit, "test")
        );
        Assert.Contains("already cut over", whileReverting.Message, StringComparison.Ordinal);
        Assert.Null(await waves.Store.FindAsync("w-again"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var reverted = Assert.Single(
            await h.Engine.Reverts.WaitAsync(revert, TimeSpan.FromMilliseconds(100), timeout.Token)
        );
        Assert.Equal(CutoverOutcomes.Completed, reverted.Outcome);
        Assert.Equal("dc-acme-stg-mta1", h.Sandbox.World.OwnerOf(System.Net.IPAddress.Parse("127.10.1.11"))?.Id);

        // Back on the data centre: a new wave may take it, and moves it to AWS again.
        await waves.CreateAsync("w-again", ["acme-stg"], DateTimeOffset.UtcNow, 1, WaveOrder.Explicit, "test");
        await CompleteAsync(waves, "w-again");
        Assert.Equal("completed", (await waves.Store.CutoversAsync("w-again"))["acme-stg"].Outcome);
        Assert.Equal("aws-acme-stg-mta1", h.Sandbox.World.OwnerOf(System.Net.IPAddress.Parse("127.20.1.11"))?.Id);
        Assert.Equal(3, h.Sandbox.SendingControl.Environment("acme-stg").Status().Pauses.Count);
    }
}
