using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Cutovers.Safety;
using CutoverEngine.Engine.Persistence;
using Microsoft.Extensions.Options;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Cutovers.Safety;

/// <summary>
/// What every pause claim store keeps, on the engine's SQLite file and on PostgreSQL: two stores on one database are
/// two engines (or nodes) sharing it, and the database's transaction decides, not a process.
/// </summary>
public abstract class PauseClaimStoreContract : IAsyncLifetime
{
    static readonly DateTimeOffset At = new(2026, 6, 11, 8, 0, 0, TimeSpan.Zero);
    IWorkflowStore? _workflowStore;

    /// <summary>A claim store on the fixture's database.</summary>
    protected abstract PauseClaimStore NewStore(IOptions<SafetyOptions> options);

    /// <summary>The workflow store on the same database: the truth of which owners are in flight.</summary>
    protected abstract IWorkflowStore NewWorkflowStore();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    IWorkflowStore Workflows => _workflowStore ??= NewWorkflowStore();

    PauseClaimStore Claims(int maxPaused = 2) =>
        NewStore(Options.Create(new SafetyOptions { MaxPausedEnvironments = maxPaused }));

    Task<string> InFlightAsync() =>
        Workflows.CreateNewWorkflow(
            new WorkflowInstance
            {
                WorkflowDefinitionId = "cutover",
                Status = WorkflowStatus.Runnable,
                CreateTime = DateTime.UtcNow,
            }
        );

    static PauseClaim[] Asking(string owner, string environment) =>
        [new(owner, environment, environment, "111111111111", false, At)];

    [Fact]
    public async Task Cutovers_of_several_engines_racing_for_the_last_slot_never_both_take_it()
    {
        // One store per racer, as one engine (or node) each on the shared database: the database's transaction
        // decides, not a process's semaphore. Several rounds, each released by one signal, so that the racers meet.
        var stores = Enumerable.Range(0, 8).Select(_ => Claims()).ToList();
        for (var round = 0; round < 10; round++)
        {
            var held = await InFlightAsync();
            await stores[0].TryClaimAsync(Asking(held, "acme-dev"));
            var racers = new List<string>();
            for (var i = 0; i < stores.Count; i++)
                racers.Add(await InFlightAsync());
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            var answers = Task.WhenAll(
                racers.Select(
                    async (owner, i) =>
                    {
                        await go.Task;
                        return await stores[i].TryClaimAsync(Asking(owner, $"env-{round}-{i}"));
                    }
                )
            );
            go.SetResult();

            Assert.True(
                (await answers).Count(a => a is null) == 1,
                $"round {round}: {(await answers).Count(a => a is null)} racers took the last slot"
            );
            Assert.Equal(2, (await stores[0].HeldAsync()).Count);
            Assert.All((await answers).OfType<PauseHold>(), h => Assert.Equal("Safety:MaxPausedEnvironments", h.Cap));
            foreach (var owner in racers.Prepend(held))
                await stores[0].ReleaseAsync(owner);
        }
        foreach (var store in stores)
            store.Dispose();
    }

    [Fact]
    public async Task A_replayed_claim_keeps_its_slot_and_is_counted_once()
    {
        using var claims = Claims(maxPaused: 1);
        var owner = await InFlightAsync();

        Assert.Null(await claims.TryClaimAsync(Asking(owner, "acme-dev")));
        Assert.Null(await claims.TryClaimAsync(Asking(owner, "acme-dev")));

        Assert.Single(await claims.HeldAsync());
        Assert.NotNull(await claims.TryClaimAsync(Asking(await InFlightAsync(), "hooli-dev")));
    }

    [Fact]
    public async Task A_released_slot_goes_to_the_next_cutover()
    {
        using var claims = Claims(maxPaused: 1);
        var first = await InFlightAsync();
        var second = await InFlightAsync();
        await claims.TryClaimAsync(Asking(first, "acme-dev"));
        var hold = await claims.TryClaimAsync(Asking(second, "hooli-dev"));

        await claims.ReleaseAsync(first);
        await claims.ReleaseAsync(first); // a replay of the release

        Assert.Equal(["acme-dev"], hold?.HeldBy);
        Assert.Null(await claims.TryClaimAsync(Asking(second, "hooli-dev")));
        Assert.Equal("hooli-dev", Assert.Single(await claims.HeldAsync()).Environment);
    }

    [Fact]
    public async Task The_claim_of_a_cutover_no_longer_in_flight_is_reclaimed()
    {
        using var claims = Claims(maxPaused: 1);
        var gone = await InFlightAsync();
        await claims.TryClaimAsync(Asking(gone, "acme-dev"));
        var instance = await Workflows.GetWorkflowInstance(gone);
        // A stopped wave terminates its cutovers: nothing releases their claims but the store's record of them.
        instance.Status = WorkflowStatus.Terminated;
        await Workflows.PersistWorkflow(instance);

        Assert.Null(await claims.TryClaimAsync(Asking(await InFlightAsync(), "hooli-dev")));
        Assert.Equal("hooli-dev", Assert.Single(await claims.HeldAsync()).Environment);
    }

    [Fact]
    public void Unusable_settings_refuse_the_store_naming_the_setting()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Claims(maxPaused: -1));

        Assert.Contains("Safety:MaxPausedEnvironments", e.Message);
    }
}
