using CutoverEngine.Agent.Leases;
using CutoverEngine.Agent.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CutoverEngine.Agent.Tests.Leases;

/// <summary>The lease beside the MTA, on a fake clock: lapse, renewal, idempotence, restart from the state
/// file.</summary>
public sealed class SendingPausesTests : IAsyncLifetime
{
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    readonly string _dir = TestConfigs.TempDirectory();
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    readonly Dictionary<string, FakeDriver> _drivers = new() { ["acme-prod"] = new(), ["acme-stg"] = new() };
    readonly List<SendingPauses> _started = [];

    async Task<SendingPauses> StartAsync()
    {
        var pauses = new SendingPauses(
            TestConfigs.Config(_dir),
            _drivers.ToDictionary(d => d.Key, d => (CutoverEngine.Agent.Drivers.IMtaDriver)d.Value),
            _clock,
            new AgentLog(_clock, null, null)
        );
        await pauses.StartAsync(CancellationToken.None);
        _started.Add(pauses);
        return pauses;
    }

    FakeDriver Prod => _drivers["acme-prod"];

    [Fact]
    public async Task An_unrenewed_lease_resumes_the_mta_by_itself_at_its_instant_and_says_so()
    {
        var pauses = await StartAsync();
        var paused = await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        Assert.True(Prod.MtaPaused);

        _clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.True((await pauses.StatusAsync("acme-prod", default)).Paused);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var status = await Eventually.HoldsAsync(
            () => pauses.StatusAsync("acme-prod", default),
            s => !s.Paused,
            Wait,
            "lease lapse"
        );
        Assert.False(Prod.MtaPaused);
        Assert.Equal("resumed by lease-expiry", status.LastResume);
        var record = Assert.Single(status.Pauses);
        Assert.Equal(SendingPauses.ResumedByLeaseExpiry, record.ResumedBy);
        Assert.Equal(paused.LeaseExpiresAt, record.ResumedAt);
    }

    [Fact]
    public async Task A_renewal_moves_the_lapse_and_keeps_the_pause_instant()
    {
        var pauses = await StartAsync();
        var first = await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        _clock.Advance(TimeSpan.FromMinutes(4));
        var renewed = await pauses.RenewAsync("acme-prod", Lease, default);
        Assert.Equal("lease-renewed", renewed.Outcome);
        Assert.Equal(first.PausedAt, renewed.PausedAt);
        Assert.Equal(_clock.GetUtcNow() + Lease, renewed.LeaseExpiresAt);

        _clock.Advance(TimeSpan.FromMinutes(2)); // past the first lease's instant
        await Task.Delay(200);
        Assert.True((await pauses.StatusAsync("acme-prod", default)).Paused);
        Assert.Equal(0, Prod.Count("resume"));
    }

    [Fact]
    public async Task Pausing_twice_renews_and_keeps_the_first_pause_instant()
    {
        var pauses = await StartAsync();
        var first = await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        Assert.Equal("paused", first.Outcome);
        Assert.Equal("already-paused", second.Outcome);
        Assert.Equal(first.PausedAt, second.PausedAt);
        Assert.Equal(_clock.GetUtcNow() + Lease, second.LeaseExpiresAt);
        Assert.Single(second.Pauses);
    }

    [Fact]
    public async Task Resuming_a_running_environment_is_a_no_op_that_says_so()
    {
        var pauses = await StartAsync();
        await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        var first = await pauses.ResumeAsync("acme-prod", "done", default);
        var second = await pauses.ResumeAsync("acme-prod", "done", default);
        Assert.Equal("resumed", first.Outcome);
        Assert.Equal("already-running", second.Outcome);
        Assert.Equal(1, Prod.Count("resume"));
        Assert.Equal(SendingPauses.ResumedByApi, Assert.Single(second.Pauses).ResumedBy);
    }

    [Fact]
    public async Task A_pause_request_id_already_applied_and_resumed_does_not_pause_again()
    {
        var pauses = await StartAsync();
        await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        await pauses.ResumeAsync("acme-prod", "done", default);
        var late = await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        Assert.Equal("already-applied", late.Outcome);
        Assert.False(late.Paused);
        Assert.Equal(1, Prod.Count("pause"));
        var fresh = await pauses.PauseAsync("acme-prod", Lease, "cutover", "run-2", default);
        Assert.Equal("paused", fresh.Outcome);
    }

    [Fact]
    public async Task After_a_restart_mid_pause_it_stays_paused_and_lapses_at_the_same_instant()
    {
        var before = await StartAsync();
        var paused = await before.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        await before.DisposeAsync(); // no resume: as if killed
        _clock.Advance(TimeSpan.FromMinutes(2));

        var after = await StartAsync();
        var restored = await after.StatusAsync("acme-prod", default);
        Assert.True(restored.Paused);
        Assert.Equal(paused.PausedAt, restored.PausedAt);
        Assert.Equal(paused.LeaseExpiresAt, restored.LeaseExpiresAt);

        _clock.Advance(paused.LeaseExpiresAt!.Value - _clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.True((await after.StatusAsync("acme-prod", default)).Paused);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var lapsed = await Eventually.HoldsAsync(
            () => after.StatusAsync("acme-prod", default),
            s => !s.Paused,
            Wait,
            "lapse after restart"
        );
        Assert.Equal(paused.LeaseExpiresAt, Assert.Single(lapsed.Pauses).ResumedAt);
    }

    [Fact]
    public async Task A_restart_after_the_lapse_instant_resumes_at_once()
    {
        var before = await StartAsync();
        await before.PauseAsync("acme-prod", Lease, "cutover", "run-1", default);
        await before.DisposeAsync();
        _clock.Advance(Lease + TimeSpan.FromMinutes(1));

        var after = await StartAsync();
        var status = await after.StatusAsync("acme-prod", default);
        Assert.False(status.Paused);
        Assert.False(Prod.MtaPaused);
        Assert.Equal("resumed by lease-expiry", status.LastResume);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(7201)]
    public async Task A_lease_outside_the_bounds_is_refused_and_changes_nothing(double seconds)
    {
        var pauses = await StartAsync();
        var e = await Assert.ThrowsAsync<AgentRequestException>(() =>
            pauses.PauseAsync("acme-prod", TimeSpan.FromSeconds(seconds), "cutover", "run-1", default)
        );
        Assert.Equal(400, e.Status);
        Assert.Equal("leaseSeconds", e.Field);
        Assert.Empty(Prod.Calls);
        Assert.False(File.Exists(pauses.StateFilePath));
    }

    [Fact]
    public async Task A_pause_someone_else_set_is_reported_and_nothing_is_changed()
    {
        Prod.Foreign = "defer_transports is 'smtp', not set by this agent";
        var pauses = await StartAsync();
        var e = await Assert.ThrowsAsync<AgentRequestException>(() =>
            pauses.PauseAsync("acme-prod", Lease, "c", "run-1", default)
        );
        Assert.Equal(409, e.Status);
        Assert.Contains(Prod.Foreign, e.Message);
        Assert.Empty(Prod.Calls);
        Assert.False((await pauses.StatusAsync("acme-prod", default)).Paused);
    }

    [Fact]
    public async Task A_pause_the_mta_refuses_is_undone_and_leaves_no_lease()
    {
        Prod.FailWith = "postfix reload: exit code 1";
        var pauses = await StartAsync();
        var e = await Assert.ThrowsAsync<AgentRequestException>(() =>
            pauses.PauseAsync("acme-prod", Lease, "c", "run-1", default)
        );
        Assert.Equal(502, e.Status);
        var status = await pauses.StatusAsync("acme-prod", default);
        Assert.False(status.Paused);
        Assert.Equal(SendingPauses.PauseFailed, Assert.Single(status.Pauses).ResumedBy);
    }

    [Fact]
    public async Task A_lapse_the_mta_refuses_is_retried_until_it_resumes()
    {
        var pauses = await StartAsync();
        await pauses.PauseAsync("acme-prod", Lease, "c", "run-1", default);
        Prod.FailWith = "mta down";
        _clock.Advance(Lease);
        var failed = await Eventually.HoldsAsync(
            () => pauses.StatusAsync("acme-prod", default),
            s => s.LastError is not null,
            Wait,
            "failed lapse"
        );
        Assert.True(failed.Paused);
        Prod.FailWith = null;
        _clock.Advance(TestConfigs.Config(_dir).ExpiryRetry);
        await Eventually.HoldsAsync(
            () => pauses.StatusAsync("acme-prod", default),
            s => !s.Paused,
            Wait,
            "retried lapse"
        );
        Assert.False(Prod.MtaPaused);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var p in _started)
            await p.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
