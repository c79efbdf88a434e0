using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CutoverEngine.EndToEnd.Tests.Cutovers;
using CutoverEngine.Engine.Persistence;
using Microsoft.Data.Sqlite;

namespace CutoverEngine.EndToEnd.Tests.Serve;

/// <summary>
/// One engine per SQLite file, as real processes: a second `serve` or a `cutover run` on the file a `serve` holds is
/// refused, naming the holder, and changes nothing; a holder killed with SIGKILL does not block the next start.
/// </summary>
public sealed class OneEnginePerStoreTests
{
    /// <summary>Generous for a loaded machine: the refusal itself comes after Engine:StoreLockWait (3 s).</summary>
    static readonly TimeSpan RefusedWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_second_serve_on_the_same_file_is_refused_and_the_first_completes_its_wave_each_step_once()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var ids = h.Sandbox.Topology.Environments.Select(e => e.Id).ToList();
        await using var first = await ServeProcess.StartAsync(h);
        await first.StartWaveNowAsync("w-one", parallel: ids.Count, order: "tier", ids);

        var watch = Stopwatch.StartNew();
        var second = await ServeProcess.RunCliAsync(h, "serve", "--urls", "http://127.0.0.1:0");

        Assert.True(
            second.ExitCode == EngineStoreHeldException.ExitCode,
            $"second serve exited {second.ExitCode}: {second.Stderr}"
        );
        Assert.True(watch.Elapsed < RefusedWithin, $"refused only after {watch.Elapsed}");
        Assert.Contains($"pid {first.ProcessId}, since ", second.Stderr, StringComparison.Ordinal);
        Assert.False(first.HasExited, "the first serve died: " + first.Errors);

        var wave = await first.WaitForWaveAsync("w-one", "completed", TimeSpan.FromMinutes(4));
        Assert.All(
            wave.GetProperty("cutovers").EnumerateArray(),
            c => Assert.Equal("completed", c.GetProperty("outcome").GetString())
        );
        var started = await StepStartsAsync(h);
        foreach (var id in ids)
        {
            // Every forward step ran, each exactly once: started up to the last one, never twice.
            Assert.Contains((id, "record-downtime"), started.Keys);
            Assert.All(
                started.Where(s => s.Key.Environment == id),
                s => Assert.True(s.Value == 1, $"{s.Key} started {s.Value} times")
            );
        }
    }

    [Fact]
    public async Task Cutover_run_beside_serve_is_refused_having_changed_nothing_while_audit_verify_keeps_working()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 3);
        var ids = h.Sandbox.Topology.Environments.Select(e => e.Id).ToList();
        await using var serve = await ServeProcess.StartAsync(h);
        using (var op = serve.Client(ServeProcess.OperatorKey)) // a journal for audit verify: serve records the wave
        {
            var created = await op.PostAsJsonAsync(
                "/api/waves",
                new
                {
                    id = "w-serve",
                    environments = ids,
                    plannedStart = DateTimeOffset.UtcNow.AddDays(1),
                    parallel = 1,
                    order = "tier",
                }
            );
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        var watch = Stopwatch.StartNew();
        var run = await ServeProcess.RunCutoverAsync(
            h,
            "run",
            h.WriteInventoryFile(),
            "--all",
            "--wave",
            "w-run",
            "--config",
            ServeProcess.WriteConfig(h)
        );

        Assert.True(run.ExitCode == EngineStoreHeldException.ExitCode, $"run exited {run.ExitCode}: {run.Stderr}");
        Assert.True(watch.Elapsed < RefusedWithin, $"refused only after {watch.Elapsed}");
        Assert.Contains($"pid {serve.ProcessId}, since ", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(await StepStartsAsync(h));
        Assert.All(ids, id => Assert.Empty(h.Sandbox.SendingControl.Environment(id).Status().Pauses));

        // A reader of the store is no engine: it works beside the holder.
        var verify = await ServeProcess.RunCutoverAsync(h, "audit", "verify", "--database", h.DatabasePath);
        Assert.True(verify.ExitCode == 0, $"audit verify exited {verify.ExitCode}: {verify.Stderr}");
        Assert.False(serve.HasExited, "serve died: " + serve.Errors);
    }

    [Fact]
    public async Task A_serve_killed_with_sigkill_does_not_block_the_next_start()
    {
        await using var h = await CutoverHarness.StartAsync(environments: 1);
        var holderFile = h.DatabasePath + ".engine-holder.json";
        await using (var killed = await ServeProcess.StartAsync(h))
        {
            Assert.Equal(killed.ProcessId, Holder(holderFile).Pid);
            await killed.KillAsync(); // no shutdown code runs: only the OS lets go
        }

        await using var next = await ServeProcess.StartAsync(h);

        Assert.Equal(next.ProcessId, Holder(holderFile).Pid);
        Assert.False(next.HasExited, next.Errors);
    }

    static EngineStoreHolder Holder(string holderFile) =>
        JsonSerializer.Deserialize<EngineStoreHolder>(File.ReadAllText(holderFile), JsonSerializerOptions.Web)!;

    /// <summary>How often the journal records each (environment, step) as started.</summary>
    static async Task<Dictionary<(string Environment, string Step), int>> StepStartsAsync(CutoverHarness h)
    {
        await using var c = new SqliteConnection($"Data Source={h.DatabasePath};Pooling=false");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        var counts = new Dictionary<(string, string), int>();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
        if ((long)(await cmd.ExecuteScalarAsync())! == 0)
            return counts; // created with the first entry
        cmd.CommandText =
            "SELECT environment, step, COUNT(*) FROM journal WHERE event = 'step-started' GROUP BY environment, step";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            counts[(r.GetString(0), r.GetString(1))] = r.GetInt32(2);
        return counts;
    }
}
