using CutoverEngine.Domain.Waves;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.EndToEnd.Tests.Serve;
using CutoverEngine.Engine.Audit;
using CutoverEngine.Engine.Waves;
using CutoverEngine.Testing;

namespace CutoverEngine.EndToEnd.Tests.Newcomer;

/// <summary>`cutover wave start|stop|resume` beside a running serve: the API's rules (policy, override reasons,
/// journal), acting through the store; serve runs what the CLI starts.</summary>
public sealed class WaveCliStartStopResumeTests
{
    [Fact]
    public async Task The_cli_starts_stops_and_resumes_a_wave_that_serve_runs()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        await using var serve = await ServeProcess.StartAsync(h);
        var ids = h.Inventory.Environments.Select(e => e.Id).Take(3).ToList();
        var created = await ServeProcess.RunCliAsync(
            h,
            "wave",
            "create",
            "w-cli",
            "--environments",
            string.Join(',', ids),
            "--planned-start",
            DateTimeOffset.UtcNow.ToString("O"),
            "--order",
            "explicit"
        );
        Assert.True(created.ExitCode == 0, created.Stdout + created.Stderr);

        // Nobody was notified: refused as the API refuses, counting environments, nothing changed.
        var refused = await ServeProcess.RunCliAsync(h, "wave", "start", "w-cli");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("3 environments break the policy: 3 notice", refused.Stderr, StringComparison.Ordinal);
        var store = new WaveStore(h.DatabasePath);
        Assert.Equal(WaveState.Draft, (await store.GetAsync("w-cli")).State);

        var started = await ServeProcess.RunCliAsync(h, "wave", "start", "w-cli", "--override-reason", "rehearsal");
        Assert.True(started.ExitCode == 0, started.Stdout + started.Stderr);
        await Eventually.UntilAsync(
            () => store.CutoversAsync("w-cli"),
            c => c.Count > 0,
            TimeSpan.FromSeconds(90),
            "serve to start the first cutover of w-cli",
            _ => serve.Errors
        );
        var stopped = await ServeProcess.RunCliAsync(h, "wave", "stop", "w-cli", "--reason", "operator saw errors");
        Assert.True(stopped.ExitCode == 0, stopped.Stdout + stopped.Stderr);
        Assert.Equal(WaveState.Stopped, (await store.GetAsync("w-cli")).State);

        var resumed = await ServeProcess.RunCliAsync(h, "wave", "resume", "w-cli");
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        await serve.WaitForWaveAsync("w-cli", "completed", TimeSpan.FromMinutes(3));
        Assert.Equal(ids.Order(), (await store.CutoversAsync("w-cli")).Keys.Order());

        var journal = new SqliteJournal(h.DatabasePath, TimeProvider.System);
        // The runner stores the completed state, then journals it: the entry can trail the state by a moment.
        var kinds = await Eventually.UntilAsync(
            async () =>
                (await journal.ReadAsync(new JournalQuery { Wave = "w-cli" }))
                    .Where(e => e.Event.StartsWith("wave-", StringComparison.Ordinal))
                    .Select(e => (e.Event, e.Actor.StartsWith("cli:", StringComparison.Ordinal)))
                    .ToList(),
            k => k.Exists(e => e.Event == "wave-completed"),
            TimeSpan.FromSeconds(30),
            "wave-completed in the journal",
            k => string.Join(", ", k)
        );
        // Each change journaled once with the CLI's user as its actor, as the API journals api:NAME.
        Assert.Equal(
            [
                ("wave-created", true),
                ("wave-policy-overridden", true),
                ("wave-started", true),
                ("wave-stopped", true),
                ("wave-resumed", true),
                ("wave-completed", true),
            ],
            kinds
        );
        var over = Assert.Single(await store.OverridesAsync("w-cli"));
        Assert.Equal(("start", "rehearsal"), (over.Operation, over.Override.Reason));
    }
}
