using CutoverEngine.Domain.Safety;
using CutoverEngine.Engine.Cutovers.Safety;
using CutoverEngine.Engine.Persistence;
using CutoverEngine.Engine.Tests.Persistence;
using Microsoft.Extensions.Options;
using WorkflowCore.Models;

namespace CutoverEngine.Engine.Tests.Cutovers.Safety;

public sealed class SqlitePauseClaimsTests : IDisposable
{
    static readonly DateTimeOffset At = new(2026, 6, 11, 8, 0, 0, TimeSpan.Zero);
    readonly TempDatabase _db = new();
    readonly SqlitePersistenceProvider _workflows;

    public SqlitePauseClaimsTests() => _workflows = _db.NewProvider();

    public void Dispose()
    {
        _workflows.Dispose();
        _db.Dispose();
    }

    SqlitePauseClaims Claims(int maxPaused = 2) =>
        new(_db.Path, Options.Create(new SafetyOptions { MaxPausedEnvironments = maxPaused }));

    Task<string> InFlightAsync() =>
        _workflows.CreateNewWorkflow(
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
    public async Task Two_cutovers_racing_for_the_last_slot_never_both_take_it()
    {
        var held = await InFlightAsync();
        // Two stores on one file, as two engines on a shared store: the file's transaction decides, not a process.
        using var one = Claims();
        using var other = Claims();
        await one.TryClaimAsync(Asking(held, "acme-dev"));
        var racers = new List<string>();
        for (var i = 0; i < 8; i++)
            racers.Add(await InFlightAsync());

        var answers = await Task.WhenAll(
            racers.Select((owner, i) => (i % 2 == 0 ? one : other).TryClaimAsync(Asking(owner, $"env-{i}")))
        );

        Assert.Single(answers, a => a is null);
        Assert.Equal(2, (await one.HeldAsync()).Count);
        Assert.All(answers.OfType<PauseHold>(), h => Assert.Equal("Safety:MaxPausedEnvironments", h.Cap));
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
        var instance = await _workflows.GetWorkflowInstance(gone);
        // A stopped wave terminates its cutovers: nothing releases their claims but the store's record of them.
        instance.Status = WorkflowStatus.Terminated;
        await _workflows.PersistWorkflow(instance);

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
