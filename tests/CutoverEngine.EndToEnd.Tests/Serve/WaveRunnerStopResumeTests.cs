using CutoverEngine.Domain.Waves;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>Stop means no new cutover starts while the one in flight finishes; resume continues with the rest, none
/// twice.</summary>
public sealed class WaveRunnerStopResumeTests
{
    [Fact]
    public async Task Stop_lets_the_cutover_in_flight_finish_and_resume_continues_with_the_rest()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var engine = await h.StartEngineAsync();
        var store = new WaveStore(h.DatabasePath);
        var ids = h.Inventory.Environments.Select(e => e.Id).Take(3).ToList();
        await using var runner = new WaveRunner(
            store,
            engine.Launcher,
            h.Inventory,
            engine.Journal,
            TimeProvider.System,
            NullLogger<WaveRunner>.Instance
        )
        {
            ProgressInterval = TimeSpan.FromMilliseconds(100),
        };
        var draft = await store.CreateAsync(
            Wave.Draft("w-stop", ids, DateTimeOffset.UtcNow, 1, WaveOrder.Explicit),
            "test",
            DateTimeOffset.UtcNow
        );
        var running = draft.Start();
        Assert.True(await store.TryUpdateAsync(draft, running, DateTimeOffset.UtcNow));
        await runner.StartClaimedAsync(running, "test");

        // As soon as the first cutover is recorded, stop the wave.
        await Eventually.UntilAsync(
            () => store.CutoversAsync("w-stop"),
            c => c.Count > 0,
            TimeSpan.FromSeconds(60),
            "the first cutover of w-stop to be recorded"
        );
        Assert.True(await store.TryUpdateAsync(running, running.Stop("operator saw errors"), DateTimeOffset.UtcNow));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            await runner.WhenRunEndedAsync("w-stop").WaitAsync(timeout.Token);

        var afterStop = await store.CutoversAsync("w-stop");
        var first = Assert.Single(afterStop);
        Assert.Equal(ids[0], first.Key);
        Assert.NotNull(first.Value.Outcome); // finished (or rolled back), not abandoned
        Assert.Equal(WaveState.Stopped, (await store.GetAsync("w-stop")).State);

        var stopped = await store.GetAsync("w-stop");
        var resumed = stopped.Resume();
        Assert.True(await store.TryUpdateAsync(stopped, resumed, DateTimeOffset.UtcNow));
        await runner.StartClaimedAsync(resumed, "test");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            await runner.WhenRunEndedAsync("w-stop").WaitAsync(timeout.Token);

        var all = await store.CutoversAsync("w-stop");
        Assert.Equal(ids.Order(), all.Keys.Order());
        Assert.All(all.Values, c => Assert.NotNull(c.Outcome));
        Assert.Equal(first.Value.InstanceId, all[ids[0]].InstanceId); // the first environment was not started again
        Assert.Equal(WaveState.Completed, (await store.GetAsync("w-stop")).State);
    }
}
