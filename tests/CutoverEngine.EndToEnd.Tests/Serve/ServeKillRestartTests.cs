using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// `cutover serve` killed (SIGKILL) or stopped (SIGTERM) in the middle of a wave, once a cutover has paused sending,
/// then started again on the same store: the wave completes without pausing any environment twice, repeating a DNS
/// change, leaving
/// sending paused, or losing or doubling mail.
/// </summary>
public sealed class ServeKillRestartTests
{
    [Fact]
    public Task Serve_killed_mid_wave_and_restarted_completes_the_wave_with_every_effect_applied_once() =>
        InterruptedWaveCompletesAsync(
            async (h, serve) =>
            {
                await serve.KillAsync(); // SIGKILL: no shutdown code runs
            }
        );

    [Fact]
    public Task Serve_stopped_gracefully_mid_wave_leaves_it_resumable_and_holds_no_pause_beyond_its_lease() =>
        InterruptedWaveCompletesAsync(
            async (h, serve) =>
            {
                await serve.TerminateAsync(TimeSpan.FromSeconds(90)); // SIGTERM: the host's graceful shutdown
                var exited = DateTimeOffset.UtcNow;
                Assert.True(serve.ExitCode == 0, $"serve exited {serve.ExitCode}: {serve.Errors}");
                // Nothing renews a pause once serve is gone: each one held ends within its lease (10 min in cutover.v1)
                // of the exit.
                foreach (var e in h.Sandbox.Topology.Environments)
                    if (
                        h.Sandbox.SendingControl.Environment(e.Id).Status() is
                        { Paused: true, LeaseExpiresAt: { } expires }
                    )
                        Assert.True(
                            expires <= exited + TimeSpan.FromMinutes(10),
                            $"{e.Id} paused until {expires:O}, beyond a lease from the exit at {exited:O}"
                        );
                // Left resumable: the wave still running, its started cutovers stored in flight for the next start.
                var store = new CutoverEngine.Engine.Waves.WaveStore(h.DatabasePath);
                Assert.Equal(CutoverEngine.Domain.Waves.WaveState.Running, (await store.GetAsync("w-kill")).State);
                Assert.Contains((await store.CutoversAsync("w-kill")).Values, c => c.Outcome is null);
            }
        );

    /// <summary>Starts a wave of every environment in serve, interrupts serve once a cutover paused sending, restarts
    /// it, and checks the end state.</summary>
    static async Task InterruptedWaveCompletesAsync(Func<CutoverHarness, ServeProcess, Task> interrupt)
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var ids = h.Sandbox.Topology.Environments.Select(e => e.Id).ToList();
        foreach (var id in ids)
            h.Sandbox.SendingControl.Environment(id).GeneratorEnabled = true;

        await using (var first = await ServeProcess.StartAsync(h))
        {
            await first.StartWaveNowAsync("w-kill", parallel: 2, order: "tier", ids);

            // Kill as soon as a cutover has paused sending: mid-cutover, with its pause held only by the lease.
            await Eventually.TrueAsync(
                () => ids.Any(id => h.Sandbox.SendingControl.Environment(id).Status().Paused) || first.HasExited,
                TimeSpan.FromSeconds(90),
                () => "a cutover to pause sending: " + first.Errors
            );
            Assert.True(
                ids.Any(id => h.Sandbox.SendingControl.Environment(id).Status().Paused),
                "no cutover paused sending: " + first.Errors
            );
            await interrupt(h, first);
        }
        // the lease, not the stopped engine, holds it
        Assert.Contains(ids, id => h.Sandbox.SendingControl.Environment(id).Status().Paused);

        await using (var second = await ServeProcess.StartAsync(h))
        {
            var wave = await second.WaitForWaveAsync("w-kill", "completed", TimeSpan.FromMinutes(4));
            // The runner journals wave-completed just after it stores the state the API shows: let it write before
            // the serve goes away, so the journal below is judged on what the run wrote.
            await Eventually.TrueAsync(
                async () =>
                {
                    await using var c = new Microsoft.Data.Sqlite.SqliteConnection(
                        $"Data Source={h.DatabasePath};Pooling=false"
                    );
                    await c.OpenAsync();
                    await using var q = c.CreateCommand();
                    q.CommandText = "SELECT count(*) FROM journal WHERE event = 'wave-completed'";
                    return Convert.ToInt64(
                            await q.ExecuteScalarAsync(),
                            System.Globalization.CultureInfo.InvariantCulture
                        ) > 0;
                },
                TimeSpan.FromSeconds(30),
                () => "wave-completed in the journal"
            );
            var outcomes = wave.GetProperty("cutovers")
                .EnumerateArray()
                .Select(c => c.GetProperty("outcome").GetString())
                .ToList();
            Assert.Equal(ids.Count, outcomes.Count);
            Assert.All(outcomes, o => Assert.Equal("completed", o));
        }

        foreach (var id in ids)
        {
            var status = h.Sandbox.SendingControl.Environment(id).Status();
            Assert.False(status.Paused, $"{id} left paused");
            var pause = Assert.Single(status.Pauses); // paused exactly once, across both engines
            Assert.NotNull(pause.ResumedAt);
        }
        var dnsChanges = h.Sandbox.Topology.Accounts.Sum(a =>
            h.Sandbox.Metrics.For(a.Id, "route53", "ChangeResourceRecordSets").Accepted
        );
        // At most one change batch per environment, none repeated after the restart: the three environments share
        // their customer's hosted zone, so the zone batcher may carry two or three of them in one batch.
        Assert.InRange(dnsChanges, 1, ids.Count);

        // Every message produced is delivered once: stop producing, let the queues drain.
        foreach (var id in ids)
            h.Sandbox.SendingControl.Environment(id).GeneratorEnabled = false;
        await Eventually.TrueAsync(
            () =>
                ids.All(id => h.Sandbox.SendingControl.Environment(id).Status() is var s && s.Delivered == s.Produced),
            TimeSpan.FromSeconds(60),
            () =>
                "every message produced to be delivered: "
                + string.Join(
                    ", ",
                    ids.Select(id =>
                        h.Sandbox.SendingControl.Environment(id).Status() is var s
                            ? $"{id} {s.Delivered}/{s.Produced}"
                            : id
                    )
                )
        );
        foreach (var id in ids)
        {
            var s = h.Sandbox.SendingControl.Environment(id).Status();
            Assert.True(s.Produced > 0, $"{id} produced no mail");
            Assert.Equal(s.Produced, s.Delivered);
        }
        Assert.Equal(0, h.Sandbox.Mail.Duplicates);

        // The journal: one cutover per environment, one wave start, one completion.
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText =
            "SELECT event, environment FROM journal WHERE event IN ('cutover-started', 'wave-started', 'wave-completed')";
        var events = new List<(string Event, string? Environment)>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                events.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
        foreach (var id in ids)
            Assert.Single(events, e => e.Event == "cutover-started" && e.Environment == id);
        Assert.Single(events, e => e.Event == "wave-started");
        Assert.Single(events, e => e.Event == "wave-completed");
    }
}
